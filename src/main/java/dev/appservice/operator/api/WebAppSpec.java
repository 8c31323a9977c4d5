package dev.appservice.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.List;

/** Desired state of a web app: a container that runs on every instance of its plan. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WebAppSpec {
    public static final int DEFAULT_PORT = 8080;
    /** {@code spec.startTimeLimit} when not given (the CRD's default, App Service's 230 seconds). */
    public static final String DEFAULT_START_TIME_LIMIT = "230s";
    /** The most deployment slots an app has, as on the Isolated tier. */
    public static final int MAX_SLOTS = 20;
    /** The most extra host names an app has (the CRD's maxItems). */
    public static final int MAX_HOST_NAMES = 64;
    /** The most access rules in one list, the app's or a slot's, as on App Service (the CRD's maxItems). */
    public static final int MAX_ACCESS_RULES = 512;
    /** The most environment variables in one list, the app's or a slot's (the CRD's maxItems). */
    public static final int MAX_ENV = 256;

    @JsonPropertyDescription(
            "Name of the IsolatedPlan, in the same namespace, the app runs on (on every instance). Immutable.")
    @Required
    @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
    @Size(min = 1, max = 253)
    @ValidationRule(value = "self == oldSelf", message = "spec.planName is immutable")
    private String planName;

    @JsonPropertyDescription(
            "What the app is, as App Service's site kinds: app (the default: a web app) or functionapp (a Functions host image; set spec.functions). Immutable.")
    @Default("app")
    @Pattern("^(app|functionapp)$")
    @ValidationRule(value = "self == oldSelf", message = "spec.kind is immutable")
    private String kind;

    @JsonPropertyDescription(
            "Function apps only (required there, refused otherwise): the Functions host's runtime and storage. The operator adds the host's settings (FUNCTIONS_WORKER_RUNTIME, AzureWebJobsStorage from the Secret, AzureWebJobsScriptRoot, console logging) and generates the host's keys once into a Secret the app owns, mounted read-only.")
    private FunctionsSettings functions;

    @JsonPropertyDescription("Container image of the app.")
    @Required
    @Size(min = 1, max = 512)
    private String image;

    @JsonPropertyDescription(
            "Port the app listens on, also given to it as the environment variable PORT. Unique among the apps of one plan. Defaults to 8080.")
    @Default("8080")
    @Min(1)
    @Max(65535)
    private Integer port;

    @JsonPropertyDescription("Environment variables of the app's container.")
    @Size(max = MAX_ENV)
    private List<EnvVar> env;

    @JsonPropertyDescription("Extra host names routed to the app, besides <app>.<dnsSuffix>.")
    @Size(max = MAX_HOST_NAMES)
    private List<String> hostNames;

    @JsonPropertyDescription(
            "HTTP path the app answers when healthy; used for readiness and liveness. Without it, the port is probed.")
    @Pattern("^/.*$")
    @Size(max = 1024)
    private String healthCheckPath;

    @JsonPropertyDescription(
            "How long a starting instance may take to accept connections on its port before it is restarted, as a duration (230s, 4m; from 10s to 1800s), App Service's WEBSITES_CONTAINER_START_TIME_LIMIT. A start within it is never killed for being slow. Defaults to 230s.")
    @Default(DEFAULT_START_TIME_LIMIT)
    @Pattern("^([0-9]+(ms|s|m|h))+$")
    @Size(max = 32)
    private String startTimeLimit;

    @JsonPropertyDescription(
            "Client address ranges allowed or denied at the front ends, as on App Service: checked in priority order, the first match deciding; once any rule exists, clients no rule allows get 403. Up to 512 rules.")
    @Size(max = MAX_ACCESS_RULES)
    private List<AccessRestriction> accessRestrictions;

    @JsonPropertyDescription(
            "Deployment slots: separately running copies of the app on its plan, each with its own image and settings, served at <app>-<slot>.<dnsSuffix>. Up to 20.")
    @Size(max = MAX_SLOTS)
    private List<DeploymentSlot> slots;

    @JsonPropertyDescription(
            "Which deployment serves the production host names: 'production' (the default: the app's own image and settings) or the name of a slot (a swap). A swap re-routes once the slot's instances are ready, and the slot's host name then serves the previous production; set it back to swap back.")
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    @Size(min = 1, max = 63)
    private String production;

    @JsonPropertyDescription(
            "The uid the app's container runs as; the image's own user (its USER) when not set. At the environment's default Restricted level it must not be 0.")
    @Min(0)
    @Max(2147483647)
    private Long runAsUser;

    @JsonPropertyDescription("The gid the app's container runs as; the image's own group when not set.")
    @Min(0)
    @Max(2147483647)
    private Long runAsGroup;

    public static final String KIND_APP = "app";
    public static final String KIND_FUNCTION_APP = "functionapp";

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public String effectiveKind() {
        return kind == null ? KIND_APP : kind;
    }

    /** Whether the app is a function app ({@code spec.kind: functionapp}). */
    public boolean functionApp() {
        return KIND_FUNCTION_APP.equals(kind);
    }

    public FunctionsSettings getFunctions() {
        return functions;
    }

    public void setFunctions(FunctionsSettings functions) {
        this.functions = functions;
    }

    public Long getRunAsUser() {
        return runAsUser;
    }

    public void setRunAsUser(Long runAsUser) {
        this.runAsUser = runAsUser;
    }

    public Long getRunAsGroup() {
        return runAsGroup;
    }

    public void setRunAsGroup(Long runAsGroup) {
        this.runAsGroup = runAsGroup;
    }

    public String getStartTimeLimit() {
        return startTimeLimit;
    }

    public void setStartTimeLimit(String startTimeLimit) {
        this.startTimeLimit = startTimeLimit;
    }

    public List<AccessRestriction> getAccessRestrictions() {
        return accessRestrictions;
    }

    public void setAccessRestrictions(List<AccessRestriction> accessRestrictions) {
        this.accessRestrictions = accessRestrictions;
    }

    public List<AccessRestriction> effectiveAccessRestrictions() {
        return accessRestrictions == null ? List.of() : accessRestrictions;
    }

    public int effectivePort() {
        return port == null ? DEFAULT_PORT : port;
    }

    public List<String> effectiveHostNames() {
        return hostNames == null ? List.of() : hostNames;
    }

    public String getPlanName() {
        return planName;
    }

    public void setPlanName(String planName) {
        this.planName = planName;
    }

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public Integer getPort() {
        return port;
    }

    public void setPort(Integer port) {
        this.port = port;
    }

    public List<EnvVar> getEnv() {
        return env;
    }

    public void setEnv(List<EnvVar> env) {
        this.env = env;
    }

    public List<String> getHostNames() {
        return hostNames;
    }

    public void setHostNames(List<String> hostNames) {
        this.hostNames = hostNames;
    }

    public String getHealthCheckPath() {
        return healthCheckPath;
    }

    public void setHealthCheckPath(String healthCheckPath) {
        this.healthCheckPath = healthCheckPath;
    }

    @JsonPropertyDescription(
            "The app's own certificate for its spec.hostNames, chosen by SNI at the front ends (the environment's certificate keeps serving <app>.<dnsSuffix>), optionally issued by cert-manager.")
    private AppTlsSettings tls;

    @JsonPropertyDescription(
            "Keep each client on one instance of the app with App Service's ARRAffinity cookie, set by the front ends. Defaults to false: requests are spread over the instances.")
    private Boolean clientAffinity;

    public AppTlsSettings getTls() {
        return tls;
    }

    public void setTls(AppTlsSettings tls) {
        this.tls = tls;
    }

    public Boolean getClientAffinity() {
        return clientAffinity;
    }

    public void setClientAffinity(Boolean clientAffinity) {
        this.clientAffinity = clientAffinity;
    }

    /** The Secret named in {@code spec.tls.secretName}, or null. */
    public String tlsSecretName() {
        return tls == null || tls.getSecretName() == null || tls.getSecretName().isBlank() ? null : tls.getSecretName();
    }

    /** The issuer of {@code spec.tls.issuerRef}, or null. */
    public CertificateIssuerReference issuerRef() {
        return tls == null ? null : tls.getIssuerRef();
    }

    public boolean effectiveClientAffinity() {
        return Boolean.TRUE.equals(clientAffinity);
    }

    public List<DeploymentSlot> getSlots() {
        return slots;
    }

    public void setSlots(List<DeploymentSlot> slots) {
        this.slots = slots;
    }

    public List<DeploymentSlot> effectiveSlots() {
        return slots == null ? List.of() : slots;
    }

    public String getProduction() {
        return production;
    }

    public void setProduction(String production) {
        this.production = production;
    }
}
