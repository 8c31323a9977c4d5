package dev.appservice.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.List;

/** The front ends: nginx proxies that terminate HTTP/HTTPS and load-balance app requests. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FrontEndSettings {

    @JsonPropertyDescription(
            "Front-end size: I1 (1 vCPU, 3.5 GiB), I2 (2 vCPU, 7 GiB) or I3 (4 vCPU, 14 GiB). Defaults to I1.")
    @Default("I1")
    private InstanceSize size;

    @JsonPropertyDescription(
            "V2 only: plan instances per additional front end. The ASE runs 2 + floor(instances / scaleFactor) front ends. Defaults to 15.")
    @Min(5)
    @Max(15)
    private Integer scaleFactor;

    @JsonPropertyDescription("V1 only, required there: the number of front ends, managed by hand (at least "
            + CapacityLimits.MIN_FRONT_ENDS + ").")
    @Min(CapacityLimits.MIN_FRONT_ENDS)
    @Max(CapacityLimits.V1_HOSTS)
    private Integer count;

    @JsonPropertyDescription(
            "The front-end proxy image: an unprivileged nginx that runs as a non-root user. Defaults to a pinned nginx-unprivileged image.")
    @Size(min = 1, max = 512)
    private String image;

    @JsonPropertyDescription(
            "The largest request body the front ends accept, as a quantity (30M = 30,000,000 bytes, 1Gi = 2^30 bytes; 0 = no limit). Larger bodies get 413. Defaults to 30M, App Service's default.")
    private IntOrString maxRequestBodySize;

    @JsonPropertyDescription(
            "How long a front end waits for an app's response, and how long an upgraded (WebSocket) connection may stay idle, as a duration (230s, 4m, 1h; from 1s to 1h). Then 504. Defaults to 230s, App Service's front-end limit.")
    @Pattern("^([0-9]+(ms|s|m|h))+$")
    @Size(max = 32)
    private String requestTimeout;

    @JsonPropertyDescription(
            "CIDRs of proxies in front of the environment (a WAF, an application gateway) whose X-Forwarded-For the front ends believe. From any other address the client is the connection's peer, and a forwarded header it sends is replaced. Up to 64.")
    @Size(max = 64)
    private List<@Size(max = 64) String> trustedProxies;

    public IntOrString getMaxRequestBodySize() {
        return maxRequestBodySize;
    }

    public void setMaxRequestBodySize(IntOrString maxRequestBodySize) {
        this.maxRequestBodySize = maxRequestBodySize;
    }

    public String getRequestTimeout() {
        return requestTimeout;
    }

    public void setRequestTimeout(String requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    public List<String> getTrustedProxies() {
        return trustedProxies;
    }

    public void setTrustedProxies(List<String> trustedProxies) {
        this.trustedProxies = trustedProxies;
    }

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
