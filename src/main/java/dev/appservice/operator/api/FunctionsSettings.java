package dev.appservice.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/**
 * A function app's host settings: its language worker ({@code FUNCTIONS_WORKER_RUNTIME}) and the
 * storage account its host uses ({@code AzureWebJobsStorage}, from a Secret).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FunctionsSettings {
    /** The Functions host's language workers, as App Service's FUNCTIONS_WORKER_RUNTIME names them. */
    public static final List<String> RUNTIMES =
            List.of("dotnet-isolated", "node", "python", "java", "powershell", "custom");

    @JsonPropertyDescription(
            "The language worker of the Functions host, its FUNCTIONS_WORKER_RUNTIME: dotnet-isolated, node, python, java, powershell or custom.")
    @Required
    @Pattern("^(dotnet-isolated|node|python|java|powershell|custom)$")
    private String runtime;

    @JsonPropertyDescription(
            "The Secret key holding the storage connection string the Functions host uses (its AzureWebJobsStorage setting), in the app's namespace.")
    @Required
    private SecretKeyReference storage;

    public String getRuntime() {
        return runtime;
    }

    public void setRuntime(String runtime) {
        this.runtime = runtime;
    }

    public SecretKeyReference getStorage() {
        return storage;
    }

    public void setStorage(SecretKeyReference storage) {
        this.storage = storage;
    }
}
