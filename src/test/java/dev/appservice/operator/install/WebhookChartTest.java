package dev.appservice.operator.install;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The admission webhook in the chart: its Service and ValidatingWebhookConfiguration, and the two
 * ways its certificates are managed (the operator itself, or cert-manager), each with exactly the
 * environment, mounts and RBAC the operator's Java side expects.
 */
class WebhookChartTest {
    static final String SERVICE = "ase-operator-webhook";
    static final String SECRET = "ase-operator-webhook-tls";
    static final String CONFIGURATION = "ase-operator";
    static final String MOUNT = "/etc/ase-operator/webhook-tls";
    static final Set<String> WEBHOOK_ENV = Set.of(
            "ASE_WEBHOOK_CERTIFICATES", "ASE_WEBHOOK_SECRET", "ASE_WEBHOOK_CONFIGURATION", "ASE_WEBHOOK_SERVICE");
    static final Set<String> CERT_MANAGER_KINDS = Set.of("Issuer", "Certificate", "ClusterIssuer");

    @Test
    void byDefaultTheWebhookReviewsTheThreeKindsAndTheScaleSubresource() {
        Manifest manifest = HelmChart.render();

        Service service = manifest.named("Service", SERVICE, Service.class);
        assertThat(service.getMetadata().getNamespace()).isEqualTo(HelmChart.NAMESPACE);
        assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
        ServicePort port = service.getSpec().getPorts().get(0);
        assertThat(service.getSpec().getPorts()).hasSize(1);
        assertThat(port.getName()).isEqualTo("https");
        assertThat(port.getPort()).isEqualTo(443);
        assertThat(port.getTargetPort().getIntVal()).isEqualTo(8443);
        Deployment deployment = manifest.one("Deployment", Deployment.class);
        assertThat(service.getSpec().getSelector())
                .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
        assertThat(operator(manifest).getPorts())
                .filteredOn(p -> p.getContainerPort() == 8443)
                .singleElement()
                .extracting(ContainerPort::getName)
                .isEqualTo("https");

        ValidatingWebhookConfiguration configuration =
                manifest.one("ValidatingWebhookConfiguration", ValidatingWebhookConfiguration.class);
        assertThat(configuration.getMetadata().getName()).isEqualTo(CONFIGURATION);
        assertThat(configuration.getMetadata().getNamespace())
                .as("cluster-scoped")
                .isNull();
        assertThat(java.util.Optional.ofNullable(configuration.getMetadata().getAnnotations())
                        .orElse(Map.of()))
                .as("no cert-manager injection when self-managed")
                .doesNotContainKey("cert-manager.io/inject-ca-from");
        assertThat(configuration.getWebhooks())
                .as("one webhook with a rule for every kind")
                .hasSize(1);
        ValidatingWebhook webhook = configuration.getWebhooks().get(0);
        assertThat(webhook.getName()).isEqualTo("validate.appservice.dev");
        assertThat(webhook.getClientConfig().getService().getName()).isEqualTo(SERVICE);
        assertThat(webhook.getClientConfig().getService().getNamespace()).isEqualTo(HelmChart.NAMESPACE);
        assertThat(webhook.getClientConfig().getService().getPath()).isEqualTo("/admission/validate");
        assertThat(webhook.getClientConfig().getService().getPort()).isEqualTo(443);
        assertThat(webhook.getClientConfig().getCaBundle())
                .as("the operator writes the caBundle, never the chart")
                .isNull();
        assertThat(webhook.getClientConfig().getUrl()).isNull();
        assertThat(webhook.getFailurePolicy()).isEqualTo("Fail");
        assertThat(webhook.getTimeoutSeconds()).isEqualTo(5);
        assertThat(webhook.getSideEffects()).isEqualTo("None");
        assertThat(webhook.getAdmissionReviewVersions()).containsExactly("v1");
        assertThat(webhook.getMatchPolicy()).isEqualTo("Equivalent");
        assertThat(webhook.getNamespaceSelector())
                .as("cluster-wide: every namespace")
                .isNull();
        assertThat(reviewed(webhook))
                .containsExactlyInAnyOrder(
                        "appservice.dev/v1alpha1/appserviceenvironments CREATE",
                        "appservice.dev/v1alpha1/appserviceenvironments UPDATE",
                        "appservice.dev/v1alpha1/isolatedplans CREATE",
                        "appservice.dev/v1alpha1/isolatedplans UPDATE",
                        "appservice.dev/v1alpha1/isolatedplans/scale CREATE",
                        "appservice.dev/v1alpha1/isolatedplans/scale UPDATE",
                        "appservice.dev/v1alpha1/webapps CREATE",
                        "appservice.dev/v1alpha1/webapps UPDATE",
                        "appservice.dev/v1alpha1/appserviceenvironments DELETE",
                        "appservice.dev/v1alpha1/isolatedplans DELETE");
        assertThat(reviewed(webhook))
                .as("the operator's own status writes never wait on its webhook")
                .noneMatch(r -> r.contains("/status"));
    }

    @Test
    void selfManagedCertificatesAreTheOperatorsOwnWithTheirRbacAndNoSecretInTheChart() {
        Manifest manifest = HelmChart.render();
        Container operator = operator(manifest);
        Map<String, String> env = env(operator);
        assertThat(env)
                .containsEntry("ASE_WEBHOOK_CERTIFICATES", "self-managed")
                .containsEntry("ASE_WEBHOOK_SECRET", SECRET)
                .containsEntry("ASE_WEBHOOK_CONFIGURATION", CONFIGURATION)
                .containsEntry("ASE_WEBHOOK_SERVICE", SERVICE)
                .as("the operator writes its PEM files under /tmp and points Quarkus at them itself")
                .doesNotContainKeys("ASE_WEBHOOK_TLS_CERT", "ASE_WEBHOOK_TLS_KEY");
        assertThat(operator.getVolumeMounts()).extracting(m -> m.getMountPath()).containsExactly("/tmp");
        assertThat(manifest.ofKind("Secret"))
                .as("the operator creates the Secret; the chart never templates its data")
                .isEmpty();
        assertThat(manifest.objects()).noneMatch(o -> CERT_MANAGER_KINDS.contains(Manifest.kind(o)));

        Role role = manifest.named("Role", "ase-operator-webhook", Role.class);
        assertThat(role.getMetadata().getNamespace()).isEqualTo(HelmChart.NAMESPACE);
        assertThat(rules(role.getRules()))
                .containsExactlyInAnyOrder(
                        "/secrets create", "/secrets get [" + SECRET + "]", "/secrets update [" + SECRET + "]");
        ClusterRole clusterRole = manifest.named("ClusterRole", "ase-operator-webhook", ClusterRole.class);
        assertThat(rules(clusterRole.getRules()))
                .containsExactlyInAnyOrder(
                        "admissionregistration.k8s.io/validatingwebhookconfigurations get [" + CONFIGURATION + "]",
                        "admissionregistration.k8s.io/validatingwebhookconfigurations patch [" + CONFIGURATION + "]");
        assertThat(manifest.named("RoleBinding", "ase-operator-webhook", RoleBinding.class)
                        .getRoleRef()
                        .getName())
                .isEqualTo("ase-operator-webhook");
        ClusterRoleBinding binding =
                manifest.named("ClusterRoleBinding", "ase-operator-webhook", ClusterRoleBinding.class);
        assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
        assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
            assertThat(s.getName()).isEqualTo("ase-operator");
            assertThat(s.getNamespace()).isEqualTo(HelmChart.NAMESPACE);
        });
    }

    @Test
    void certManagerIssuesTheCertificatesInjectsTheCaAndTheOperatorMountsThem() {
        Manifest manifest = HelmChart.render("webhook: {certificates: {mode: cert-manager}}");
        assertThat(manifest.identities())
                .contains(
                        "Issuer ase-operator/ase-operator-webhook-selfsigned",
                        "Certificate ase-operator/ase-operator-webhook-ca",
                        "Issuer ase-operator/ase-operator-webhook-ca",
                        "Certificate ase-operator/ase-operator-webhook",
                        "Service ase-operator/ase-operator-webhook",
                        "ValidatingWebhookConfiguration ase-operator");

        GenericKubernetesResource selfSigned = cm(manifest, "Issuer", "ase-operator-webhook-selfsigned");
        assertThat((Object) selfSigned.get("spec", "selfSigned")).isNotNull();
        GenericKubernetesResource ca = cm(manifest, "Certificate", "ase-operator-webhook-ca");
        assertThat((Boolean) ca.get("spec", "isCA")).isTrue();
        assertThat((String) ca.get("spec", "issuerRef", "name")).isEqualTo("ase-operator-webhook-selfsigned");
        assertThat((String) ca.get("spec", "secretName")).isEqualTo("ase-operator-webhook-ca");
        GenericKubernetesResource caIssuer = cm(manifest, "Issuer", "ase-operator-webhook-ca");
        assertThat((String) caIssuer.get("spec", "ca", "secretName")).isEqualTo("ase-operator-webhook-ca");
        GenericKubernetesResource serving = cm(manifest, "Certificate", "ase-operator-webhook");
        assertThat((String) serving.get("spec", "issuerRef", "name")).isEqualTo("ase-operator-webhook-ca");
        assertThat((String) serving.get("spec", "issuerRef", "kind")).isEqualTo("Issuer");
        assertThat((String) serving.get("spec", "secretName")).isEqualTo(SECRET);
        assertThat((List<Object>) serving.get("spec", "dnsNames"))
                .containsExactly(
                        "ase-operator-webhook.ase-operator.svc", "ase-operator-webhook.ase-operator.svc.cluster.local");
        assertThat((String) serving.get("spec", "privateKey", "encoding"))
                .as("PEM the JVM reads")
                .isEqualTo("PKCS8");

        ValidatingWebhookConfiguration configuration =
                manifest.one("ValidatingWebhookConfiguration", ValidatingWebhookConfiguration.class);
        assertThat(configuration.getMetadata().getAnnotations())
                .containsEntry("cert-manager.io/inject-ca-from", "ase-operator/ase-operator-webhook");
        assertThat(configuration.getWebhooks()).singleElement().satisfies(w -> {
            assertThat(w.getClientConfig().getCaBundle()).isNull();
            assertThat(reviewed(w)).contains("appservice.dev/v1alpha1/isolatedplans/scale UPDATE");
        });

        PodSpec pod = manifest.one("Deployment", Deployment.class)
                .getSpec()
                .getTemplate()
                .getSpec();
        Volume volume = pod.getVolumes().stream()
                .filter(v -> v.getName().equals("webhook-tls"))
                .findFirst()
                .orElseThrow();
        assertThat(volume.getSecret())
                .as("a secret volume (Pod Security restricted allows it)")
                .isNotNull();
        assertThat(volume.getSecret().getSecretName()).isEqualTo(SECRET);
        Container operator = pod.getContainers().get(0);
        assertThat(operator.getVolumeMounts())
                .filteredOn(m -> m.getName().equals("webhook-tls"))
                .singleElement()
                .satisfies(m -> {
                    assertThat(m.getMountPath()).isEqualTo(MOUNT);
                    assertThat(m.getReadOnly()).isTrue();
                });
        assertThat(env(operator))
                .containsEntry("ASE_WEBHOOK_CERTIFICATES", "cert-manager")
                .containsEntry("ASE_WEBHOOK_SECRET", SECRET)
                .containsEntry("ASE_WEBHOOK_CONFIGURATION", CONFIGURATION)
                .containsEntry("ASE_WEBHOOK_SERVICE", SERVICE)
                .containsEntry("ASE_WEBHOOK_TLS_CERT", MOUNT + "/tls.crt")
                .containsEntry("ASE_WEBHOOK_TLS_KEY", MOUNT + "/tls.key");

        assertThat(manifest.ofKind("Secret"))
                .as("cert-manager creates the Secret")
                .isEmpty();
        assertThat(ServiceAccountPermissions.ofOperator(manifest))
                .as("no Secret or webhook configuration access with cert-manager")
                .noneMatch(g -> webhookSecretAccess(g) || g.resource().equals("validatingwebhookconfigurations"));
        assertThat(manifest.identities())
                .doesNotContain("Role ase-operator/ase-operator-webhook", "ClusterRole ase-operator-webhook");
    }

    @Test
    void disabledTheChartRendersNoneOfIt() {
        for (String values :
                List.of("webhook: {enabled: false}", "webhook: {enabled: false, certificates: {mode: cert-manager}}")) {
            Manifest manifest = HelmChart.render(values);
            assertThat(manifest.identities())
                    .as(values)
                    .containsExactlyInAnyOrderElementsOf(HelmChart.OPERATOR_OBJECTS);
            Container operator = operator(manifest);
            assertThat(operator.getPorts()).extracting(ContainerPort::getName).containsExactly("http");
            assertThat(env(operator))
                    .doesNotContainKeys("ASE_WEBHOOK_TLS_CERT", "ASE_WEBHOOK_TLS_KEY")
                    .doesNotContainKeys(WEBHOOK_ENV.toArray(String[]::new));
            assertThat(operator.getVolumeMounts())
                    .extracting(m -> m.getMountPath())
                    .containsExactly("/tmp");
            assertThat(ServiceAccountPermissions.ofOperator(manifest))
                    .noneMatch(g -> webhookSecretAccess(g) || g.resource().equals("validatingwebhookconfigurations"));
        }
    }

    @Test
    void watchNamespacesLimitTheWebhookToThemWhileItsCertificateRbacStays() {
        Manifest manifest = HelmChart.render("watchNamespaces: [team-a, team-b]");
        ValidatingWebhook webhook = manifest.one("ValidatingWebhookConfiguration", ValidatingWebhookConfiguration.class)
                .getWebhooks()
                .get(0);
        assertThat(webhook.getNamespaceSelector().getMatchLabels()).isNullOrEmpty();
        assertThat(webhook.getNamespaceSelector().getMatchExpressions())
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.getKey()).isEqualTo("kubernetes.io/metadata.name");
                    assertThat(e.getOperator()).isEqualTo("In");
                    assertThat(e.getValues()).containsExactly("team-a", "team-b");
                });
        // The Secret lives in the operator's namespace and the configuration is cluster-scoped,
        // whatever the operator watches.
        assertThat(manifest.named("Role", "ase-operator-webhook", Role.class)
                        .getMetadata()
                        .getNamespace())
                .isEqualTo(HelmChart.NAMESPACE);
        assertThat(manifest.named("ClusterRole", "ase-operator-webhook", ClusterRole.class)
                        .getRules())
                .allSatisfy(r -> assertThat(r.getResourceNames()).containsExactly(CONFIGURATION));
    }

    @Test
    void failurePolicyTimeoutAndNamesFollowTheValues() {
        Manifest manifest =
                HelmChart.render("webhook: {failurePolicy: Ignore, timeoutSeconds: 2}\nfullnameOverride: ase");
        ValidatingWebhookConfiguration configuration =
                manifest.one("ValidatingWebhookConfiguration", ValidatingWebhookConfiguration.class);
        assertThat(configuration.getMetadata().getName()).isEqualTo("ase");
        ValidatingWebhook webhook = configuration.getWebhooks().get(0);
        assertThat(webhook.getFailurePolicy()).isEqualTo("Ignore");
        assertThat(webhook.getTimeoutSeconds()).isEqualTo(2);
        assertThat(webhook.getClientConfig().getService().getName()).isEqualTo("ase-webhook");
        assertThat(manifest.identities()).contains("Service ase-operator/ase-webhook");
        assertThat(env(operator(manifest)))
                .containsEntry("ASE_WEBHOOK_SECRET", "ase-webhook-tls")
                .containsEntry("ASE_WEBHOOK_CONFIGURATION", "ase")
                .containsEntry("ASE_WEBHOOK_SERVICE", "ase-webhook");
        assertThat(rules(manifest.named("Role", "ase-webhook", Role.class).getRules()))
                .contains("/secrets get [ase-webhook-tls]");
        assertThat(rules(manifest.named("ClusterRole", "ase-webhook", ClusterRole.class)
                        .getRules()))
                .contains("admissionregistration.k8s.io/validatingwebhookconfigurations patch [ase]");
    }

    /** "group/version/resource OPERATION" for every rule of a webhook. */
    static Set<String> reviewed(ValidatingWebhook webhook) {
        return webhook.getRules().stream()
                .flatMap((RuleWithOperations r) -> r.getApiGroups().stream()
                        .flatMap(g -> r.getApiVersions().stream()
                                .flatMap(v -> r.getResources().stream()
                                        .flatMap(res -> r.getOperations().stream()
                                                .map(op -> g + "/" + v + "/" + res + " " + op)))))
                .collect(Collectors.toSet());
    }

    private static Set<String> rules(List<io.fabric8.kubernetes.api.model.rbac.PolicyRule> rules) {
        return rules.stream()
                .flatMap(r -> r.getApiGroups().stream()
                        .flatMap(g -> r.getResources().stream()
                                .flatMap(res -> r.getVerbs().stream()
                                        .flatMap(verb -> (r.getResourceNames() == null
                                                                || r.getResourceNames()
                                                                        .isEmpty()
                                                        ? List.of("")
                                                        : r.getResourceNames())
                                                .stream()
                                                        .map(n -> g + "/" + res + " " + verb
                                                                + (n.isEmpty() ? "" : " [" + n + "]"))))))
                .collect(Collectors.toSet());
    }

    private static GenericKubernetesResource cm(Manifest manifest, String kind, String name) {
        GenericKubernetesResource object = manifest.named(kind, name, GenericKubernetesResource.class);
        assertThat(object.getApiVersion()).isEqualTo("cert-manager.io/v1");
        assertThat(object.getMetadata().getNamespace()).isEqualTo(HelmChart.NAMESPACE);
        return object;
    }

    private static Container operator(Manifest manifest) {
        return manifest.one("Deployment", Deployment.class)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
    }

    private static Map<String, String> env(Container container) {
        return container.getEnv().stream()
                .filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    /**
     * Access to Secrets for the webhook's own certificates: in the release namespace or by name. (The
     * reconcilers' access to Secrets, cluster-wide or per watched namespace, is for the apps'
     * certificates and the front ends' copies, whatever the webhook's mode.)
     */
    static boolean webhookSecretAccess(Grant grant) {
        return grant.resource().equals("secrets")
                && (grant.scope().equals(HelmChart.NAMESPACE)
                        || !grant.resourceName().equals(Grant.ANY_NAME));
    }
}
