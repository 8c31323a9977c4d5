package dev.appservice.operator.testing.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Fabric8 mock API server's CRUD mode with the API server's validation in front of its store:
 * every object a POST, PUT or PATCH (of the object or of its status) would store is first checked
 * by {@link KubernetesApiValidation}, as it will be stored (patches applied), and one a real API
 * server would refuse is answered 422 Invalid and not stored.
 */
public class ValidatingCrudDispatcher extends KubernetesCrudDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(ValidatingCrudDispatcher.class);
    private final KubernetesApiValidation validation;
    private final Queue<Refusal> refusals = new ConcurrentLinkedQueue<>();

    public ValidatingCrudDispatcher(
            KubernetesApiValidation validation, List<CustomResourceDefinitionContext> crdContexts) {
        super(crdContexts);
        this.validation = validation;
    }

    @Override
    public void processEvent(
            String path,
            AttributeSet pathAttributes,
            AttributeSet oldAttributes,
            GenericKubernetesResource resource,
            String json) {
        if (json != null) {
            JsonNode object = Serialization.unmarshal(json, JsonNode.class);
            String apiVersion = JsonFields.text(object, "apiVersion");
            String kind = JsonFields.text(object, "kind");
            if (validation.checks(apiVersion, kind)) {
                JsonNode previous = null;
                if (oldAttributes != null) {
                    Map.Entry<AttributeSet, String> stored = findResource(oldAttributes);
                    previous = stored == null ? null : Serialization.unmarshal(stored.getValue(), JsonNode.class);
                }
                List<FieldError> errors = validation.validate(object, previous);
                if (!errors.isEmpty()) {
                    LOG.warn(
                            "422 {} {}: {}",
                            kind,
                            path,
                            errors.stream().map(FieldError::message).toList());
                    Status status = KubernetesApiValidation.invalid(
                            apiVersion, kind, JsonFields.text(object.get("metadata"), "name"), errors);
                    refusals.add(new Refusal(path, status));
                    throw new RefusedObject(status);
                }
            }
        }
        super.processEvent(path, pathAttributes, oldAttributes, resource, json);
    }

    /** Every write refused so far, oldest first. */
    public List<Refusal> refusals() {
        return List.copyOf(refusals);
    }

    @Override
    public MockResponse handleCreate(RecordedRequest request) {
        try {
            return super.handleCreate(request);
        } catch (RefusedObject refused) {
            return refused.response();
        }
    }

    @Override
    public MockResponse handleUpdate(RecordedRequest request) {
        try {
            return super.handleUpdate(request);
        } catch (RefusedObject refused) {
            return refused.response();
        }
    }

    @Override
    public MockResponse handlePatch(RecordedRequest request) {
        try {
            return super.handlePatch(request);
        } catch (RefusedObject refused) {
            return refused.response();
        }
    }
}
