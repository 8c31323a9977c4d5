package dev.appservice.operator.operability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The start-up check gives up at once when no API server answers, while the operator's client
 * keeps its retries for everything after it.
 */
class ApiServerReachabilityTest {
    /** The client's defaults: 10 retries from 100 ms, which took 20 s on a refused connection. */
    static Config config(String url) {
        return new ConfigBuilder(Config.empty())
                .withMasterUrl(url)
                .withTrustCerts(true)
                .withRequestRetryBackoffLimit(Config.DEFAULT_REQUEST_RETRY_BACKOFFLIMIT)
                .withRequestRetryBackoffInterval(Config.DEFAULT_REQUEST_RETRY_BACKOFFINTERVAL)
                .build();
    }

    @Test
    void noServerStopsTheStartAtOnceNotAfterTheClientsRetries() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        try (KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(config("https://127.0.0.1:" + closed))
                .build()) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> new ApiServerReachability().check(null, client))
                    .isInstanceOf(ApiServerReachability.Unreachable.class)
                    .hasMessageContaining("cannot reach the Kubernetes API server at https://127.0.0.1:" + closed)
                    .hasNoCause()
                    .satisfies(e -> assertThat(e.getStackTrace()).isEmpty());
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
            assertThat(client.getConfiguration().getRequestRetryBackoffLimit())
                    .isEqualTo(Config.DEFAULT_REQUEST_RETRY_BACKOFFLIMIT);
        }
    }

    @Test
    void anErrorAnswerIsAServerThereAndTheOperatorsClientStillRetries() {
        KubernetesMockServer server = new KubernetesMockServer(false);
        server.init();
        try (KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(config(server.url("/")))
                .build()) {
            // The check's one request meets a 503: a server is there, the start goes on.
            server.expect().get().withPath("/version").andReturn(503, "{}").once();
            new ApiServerReachability().check(null, client);
            // Once running, a 503 is retried by the operator's client, as before.
            String pod = "/api/v1/namespaces/apps/pods/web";
            server.expect().get().withPath(pod).andReturn(503, "{}").once();
            server.expect()
                    .get()
                    .withPath(pod)
                    .andReturn(
                            200,
                            new PodBuilder()
                                    .withNewMetadata()
                                    .withName("web")
                                    .withNamespace("apps")
                                    .endMetadata()
                                    .build())
                    .once();
            assertThat(client.pods().inNamespace("apps").withName("web").get()).isNotNull();
            assertThat(server.getRequestCount()).isEqualTo(3);
        } finally {
            server.destroy();
        }
    }
}
