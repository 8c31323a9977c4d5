package dev.appservice.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;

/** The front ends: nginx proxies that terminate HTTP/HTTPS and load-balance app requests. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FrontEndSettings {

    @JsonPropertyDescription("Front-end size: I1 (1 vCPU, 3.5 GiB), I2 (2 vCPU, 7 GiB) or I3 (4 vCPU, 14 GiB). Defaults to I1.")
    @Default("I1")
    private InstanceSize size;

    @JsonPropertyDescription("V2 only: plan instances per additional front end. The ASE runs 2 + floor(instances / scaleFactor) front ends. Defaults to 15.")
    @Min(5)
    @Max(15)
    private Integer scaleFactor;

    @JsonPropertyDescription("V1 only, required there: the number of front ends, managed by hand (at least 2).")
    @Min(2)
    @Max(55)
    private Integer count;

    @JsonPropertyDescription("The front-end proxy image: an unprivileged nginx that runs as a non-root user. Defaults to a pinned nginx-unprivileged image.")
    @Size(min = 1, max = 512)
    private String image;

    public InstanceSize getSize() {
        return size;
    }

    public void setSize(InstanceSize size) {
        this.size = size;
    }

    public Integer getScaleFactor() {
        return scaleFactor;
    }

    public void setScaleFactor(Integer scaleFactor) {
        this.scaleFactor = scaleFactor;
    }

    public Integer getCount() {
        return count;
    }

    public void setCount(Integer count) {
        this.count = count;
    }

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }
}
