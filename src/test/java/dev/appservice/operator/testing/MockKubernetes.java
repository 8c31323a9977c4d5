package dev.appservice.operator.testing;

import dev.appservice.operator.testing.apiserver.Refusal;
import dev.appservice.operator.testing.apiserver.ValidatingMixedDispatcher;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

/**
 * The Fabric8 mock API server in CRUD mode, with the project's CRDs installed, for the operator
 * under test to run against. Records every request, so tests can count the operator's writes.
 * Every object written to it is validated as a Kubernetes 1.34 API server validates it
 * ({@link ValidatingMixedDispatcher}): one a cluster would refuse is answered 422 Invalid.
 */
public class MockKubernetes implements QuarkusTestResourceLifecycleManager {
    private static KubernetesMockServer server;
    private static ValidatingMixedDispatcher dispatcher;

    @Override
    public Map<String, String> start() {
        // Mixed: validated CRUD for everything, except requests a test set an expectation for (fault injection).
        Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
        dispatcher = ValidatingMixedDispatcher.forProject(expectations);
        server = new KubernetesMockServer(
                new io.fabric8.mockwebserver.Context(), new MockWebServer(), expectations, dispatcher, false);
        server.init();
        try (KubernetesClient client = server.createClient()) {
            try (var files = Files.list(Path.of("crds"))) {
                for (Path crd : files.sorted().toList()) {
                    client.resource(Serialization.unmarshal(Files.readString(crd), CustomResourceDefinition.class))
                            .create();
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.kubernetes-client.api-server-url", server.url("/"));
        config.put("quarkus.kubernetes-client.trust-certs", "true");
        config.put("quarkus.kubernetes-client.namespace", "default");
        return config;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.destroy();
        }
    }

    /** The server, for expectations that inject faults ({@code server().expect()...}). */
    public static KubernetesMockServer server() {
        return server;
    }

    /** The writes to a namespace that the server refused as a real API server would (422 Invalid), oldest first. */
    public static List<Refusal> refusedWritesIn(String namespace) {
        return dispatcher.refusals().stream()
                .filter(r -> r.namespace().equals(namespace))
                .toList();
    }

    /** Forgets the requests recorded so far. */
    public static void clearRequests() throws InterruptedException {
        while (server.takeRequest(1, TimeUnit.MILLISECONDS) != null) {
            // drain
        }
    }

    /** Every request recorded since the last clear, reads included. */
    public static List<RecordedRequest> requestsSinceClear() throws InterruptedException {
        List<RecordedRequest> requests = new ArrayList<>();
        RecordedRequest request;
        while ((request = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
            requests.add(request);
        }
        return requests;
    }

    /** The write requests (POST, PUT, PATCH, DELETE) recorded since the last clear, as "METHOD path". */
    public static List<String> writesSinceClear() throws InterruptedException {
        List<String> writes = new ArrayList<>();
        RecordedRequest request;
        while ((request = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
            String method = request.getMethod();
            if (method.equals("POST") || method.equals("PUT") || method.equals("PATCH") || method.equals("DELETE")) {
                writes.add(method + " " + request.getPath());
            }
        }
        return writes;
    }
}
