package dev.appservice.operator.desired;

import dev.appservice.operator.api.FunctionsSettings;
import dev.appservice.operator.model.AppDeployments;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.List;

/**
 * What the platform gives a function app's container ({@code spec.kind: functionapp}) beside what
 * every app gets: the Functions host's settings, as App Service sets them, and its keys.
 *
 * <p>Keys. The host keeps its keys in a "secrets repository"; with
 * {@code AzureWebJobsSecretStorageType=files} it reads them from the directory
 * {@code FUNCTIONS_SECRETS_PATH}, the host's own in {@code host.json} there (a master key and
 * host-level function keys: {@link FunctionKeys#hostSecrets}). The operator generates that file
 * once per deployment (the app, and each slot: slots have keys of their own, as on App Service)
 * into the Secret the app owns ({@link FunctionKeys}), and mounts the deployment's entry
 * read-only as {@code host.json} in {@link #SECRETS_PATH}. The host only reads it; it cannot
 * write per-function key files there, so host keys (master, {@code default}) are the keys
 * callers use.
 */
public final class FunctionHost {
    public static final String WORKER_RUNTIME = "FUNCTIONS_WORKER_RUNTIME";
    public static final String STORAGE = "AzureWebJobsStorage";
    public static final String SCRIPT_ROOT_VARIABLE = "AzureWebJobsScriptRoot";
    /** Where Functions host images keep the function app's code, as App Service's containers. */
    public static final String SCRIPT_ROOT = "/home/site/wwwroot";
    /** The host writes its logs to the console, so the container's log (and its termination message) has them. */
    public static final String CONSOLE_LOGGING = "AzureFunctionsJobHost__Logging__Console__IsEnabled";

    public static final String SECRET_STORAGE_TYPE = "AzureWebJobsSecretStorageType";
    /** The host's keys come from files in {@link #SECRETS_PATH_VARIABLE}. */
    public static final String SECRET_STORAGE_FILES = "files";

    public static final String SECRETS_PATH_VARIABLE = "FUNCTIONS_SECRETS_PATH";
    /** The directory the keys are mounted in, read-only. */
    public static final String SECRETS_PATH = "/etc/functions-host/secrets";
    /** The host's own keys file in {@link #SECRETS_PATH}. */
    public static final String HOST_KEYS_FILE = "host.json";

    public static final String KEYS_VOLUME = "function-keys";

    /** The variables the platform sets in a function app; its {@code env} may not redefine them. */
    public static final List<String> RESERVED = List.of(
            WORKER_RUNTIME, STORAGE, SCRIPT_ROOT_VARIABLE, CONSOLE_LOGGING, SECRET_STORAGE_TYPE, SECRETS_PATH_VARIABLE);

    private FunctionHost() {}

    /** The host's settings, in the order the container gets them after the platform variables. */
    public static List<EnvVar> env(FunctionsSettings functions) {
        return List.of(
                value(WORKER_RUNTIME, functions.getRuntime()),
                new EnvVarBuilder()
                        .withName(STORAGE)
                        .withNewValueFrom()
                        .withNewSecretKeyRef()
                        .withName(functions.getStorage().getName())
                        .withKey(functions.getStorage().getKey())
                        .endSecretKeyRef()
                        .endValueFrom()
                        .build(),
                value(SCRIPT_ROOT_VARIABLE, SCRIPT_ROOT),
                value(CONSOLE_LOGGING, "true"),
                value(SECRET_STORAGE_TYPE, SECRET_STORAGE_FILES),
                value(SECRETS_PATH_VARIABLE, SECRETS_PATH));
    }

    /**
     * The keys volume of one of the app's deployments ({@link AppDeployments#PRODUCTION} or a
     * slot): the deployment's entry of the app's keys Secret as {@code host.json}.
     */
    public static Volume keysVolume(String app, String deployment) {
        return new VolumeBuilder()
                .withName(KEYS_VOLUME)
                .withNewSecret()
                .withSecretName(FunctionKeys.secretName(app))
                .withItems(new KeyToPath(FunctionKeys.entry(deployment), null, HOST_KEYS_FILE))
                .endSecret()
                .build();
    }

    public static VolumeMount keysMount() {
        return new VolumeMountBuilder()
                .withName(KEYS_VOLUME)
                .withMountPath(SECRETS_PATH)
                .withReadOnly(true)
                .build();
    }

    public static boolean reserved(String name) {
        return RESERVED.contains(name);
    }

    private static EnvVar value(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }
}
