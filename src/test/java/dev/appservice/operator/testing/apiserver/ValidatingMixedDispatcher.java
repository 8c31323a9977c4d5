package dev.appservice.operator.testing.apiserver;

import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.CustomResourceAware;
import io.fabric8.kubernetes.client.server.mock.Resetable;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.internal.MockDispatcher;
import io.fabric8.mockwebserver.internal.SimpleRequest;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * What {@code KubernetesMixedDispatcher} does (a request a test set an expectation for gets the
 * expected answer, every other one the CRUD store), with the store validating what it is given
 * ({@link ValidatingCrudDispatcher}). For Quarkus and plain tests alike:
 * {@code new KubernetesMockServer(context, new MockWebServer(), expectations, ValidatingMixedDispatcher.forProject(expectations), false)}.
 */
public class ValidatingMixedDispatcher extends Dispatcher implements Resetable, CustomResourceAware {
    private final Map<ServerRequest, Queue<ServerResponse>> responses;
    private final MockDispatcher expectations;
    private final ValidatingCrudDispatcher store;

    public ValidatingMixedDispatcher(
            Map<ServerRequest, Queue<ServerResponse>> responses, KubernetesApiValidation validation) {
        this.responses = responses;
        this.expectations = new MockDispatcher(responses);
        this.store = new ValidatingCrudDispatcher(validation, List.of());
    }

    /** With the project's custom resources (crds/) checked against their schemas. */
    public static ValidatingMixedDispatcher forProject(Map<ServerRequest, Queue<ServerResponse>> responses) {
        return new ValidatingMixedDispatcher(
                responses, new KubernetesApiValidation(CustomResourceSchemas.fromProject()));
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        Queue<ServerResponse> expected =
                responses.get(new SimpleRequest(HttpMethod.valueOf(request.getMethod()), request.getPath()));
        if (expected != null && !expected.isEmpty()) {
            return expectations.dispatch(request);
        }
        return store.dispatch(request);
    }

    /** Every write the store refused so far, oldest first. */
    public List<Refusal> refusals() {
        return store.refusals();
    }

    @Override
    public void reset() {
        store.reset();
    }

    @Override
    public void expectCustomResource(CustomResourceDefinitionContext context) {
        store.expectCustomResource(context);
    }
}
