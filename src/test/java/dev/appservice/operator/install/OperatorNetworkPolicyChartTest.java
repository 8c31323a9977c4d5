package dev.appservice.operator.install;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The operator's own NetworkPolicy (API.md, "Isolation"): only the webhook's caller (the API
 * server) and the metrics' scrapers reach the operator's pods; other tenants' pods do not.
 */
class OperatorNetworkPolicyChartTest {
    static final int WEBHOOK_PORT = 8443;
    static final int METRICS_PORT = 8080;

    static NetworkPolicy policy(Manifest manifest) {
        return manifest.named("NetworkPolicy", "ase-operator", NetworkPolicy.class);
    }

    static NetworkPolicyIngressRule onPort(NetworkPolicy policy, int port) {
        return policy.getSpec().getIngress().stream()
                .filter(r -> r.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == port))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void byDefaultTheWebhookAdmitsEveryAddressButThePodsAndTheMetricsOnlyTheMonitoringNamespace() {
        NetworkPolicy policy = policy(HelmChart.render(""));
        assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
        assertThat(policy.getSpec().getPodSelector().getMatchLabels())
                .containsEntry("app.kubernetes.io/name", "ase-operator");
        assertThat(policy.getSpec().getIngress()).hasSize(2);

        List<NetworkPolicyPeer> webhookCallers = onPort(policy, WEBHOOK_PORT).getFrom();
        assertThat(webhookCallers).allSatisfy(peer -> {
            assertThat(peer.getNamespaceSelector()).isNull();
            assertThat(peer.getPodSelector()).isNull();
        });
        assertThat(webhookCallers)
                .extracting(p ->
                        p.getIpBlock().getCidr() + " except " + p.getIpBlock().getExcept())
                .containsExactly("0.0.0.0/0 except [10.244.0.0/16]", "::/0 except [fd00:10:244::/56]");

        List<NetworkPolicyPeer> scrapers = onPort(policy, METRICS_PORT).getFrom();
        assertThat(scrapers)
                .singleElement()
                .satisfies(peer -> assertThat(peer.getNamespaceSelector().getMatchExpressions())
                        .singleElement()
                        .satisfies(e -> {
                            assertThat(e.getKey()).isEqualTo("kubernetes.io/metadata.name");
                            assertThat(e.getOperator()).isEqualTo("In");
                            assertThat(e.getValues()).containsExactly("monitoring");
                        }));
    }

    @Test
    void theApiServersAddressesAndTheMonitoringSelectorsAreConfigurable() {
        NetworkPolicy policy = policy(HelmChart.render("""
                networkPolicy:
                  apiServerCidrs: [172.18.0.0/16]
                  metrics:
                    namespaceSelector: {matchLabels: {team: observability}}
                    podSelector: {matchLabels: {app.kubernetes.io/name: prometheus}}
                """));
        assertThat(onPort(policy, WEBHOOK_PORT).getFrom())
                .singleElement()
                .satisfies(peer -> assertThat(peer.getIpBlock().getCidr()).isEqualTo("172.18.0.0/16"));
        NetworkPolicyPeer scraper = onPort(policy, METRICS_PORT).getFrom().get(0);
        assertThat(scraper.getNamespaceSelector().getMatchLabels()).isEqualTo(Map.of("team", "observability"));
        assertThat(scraper.getPodSelector().getMatchLabels()).isEqualTo(Map.of("app.kubernetes.io/name", "prometheus"));
    }

    @Test
    void anOperatorOutsideTheClusterOrWithoutTheWebhookOpensNoWebhookPort() {
        for (String values : List.of("webhook: {enabled: false}", "webhook: {url: 'https://127.0.0.1:8443'}")) {
            NetworkPolicy policy = policy(HelmChart.render(values));
            assertThat(policy.getSpec().getIngress())
                    .as(values)
                    .singleElement()
                    .satisfies(r -> assertThat(r.getPorts())
                            .extracting(p -> p.getPort().getIntVal())
                            .containsExactly(METRICS_PORT));
        }
    }

    @Test
    void itCanBeTurnedOff() {
        assertThat(HelmChart.render("networkPolicy: {enabled: false}").ofKind("NetworkPolicy"))
                .isEmpty();
    }
}
