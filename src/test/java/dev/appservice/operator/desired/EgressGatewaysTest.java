package dev.appservice.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.EgressGateway;
import dev.appservice.operator.api.EgressGatewayProvider;
import dev.appservice.operator.api.OutboundSettings;
import dev.appservice.operator.config.OperatorSettings;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.testing.Fixtures;
import dev.appservice.operator.testing.apiserver.CustomResourceSchemas;
import dev.appservice.operator.testing.apiserver.FieldError;
import dev.appservice.operator.testing.apiserver.KubernetesApiValidation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The providers' objects as data, against the providers' own CRDs (the validating layer of the
 * tests' API server, with src/test/resources/provider-crds): what the operator builds is accepted;
 * the same object with the address, the selector or an unknown field broken is refused, so the
 * check is not vacuous. In EnvironmentChildren, one object when the spec asks for it, none without.
 */
class EgressGatewaysTest {
    static final KubernetesApiValidation API = new KubernetesApiValidation(CustomResourceSchemas.fromProject());
    static final KubernetesSerialization JSON = new KubernetesSerialization();

    @ParameterizedTest
    @EnumSource(EgressGatewayProvider.class)
    void theOperatorsObjectIsValidAndABrokenOneIsNot(EgressGatewayProvider provider) {
        EnvironmentChildren children = EnvironmentChildren.offline(
                new EnvironmentTopology(withGateway(provider, "203.0.113.10"), List.of()), OperatorSettings.defaults());
        assertThat(children.egressGateway()).hasSize(1);
        assertThat(children.all()).contains(children.egressGateway().get(0));
        JsonNode object = JSON.convertValue(children.egressGateway().get(0), JsonNode.class);
        assertThat(errors(object)).as(object.toPrettyString()).isEmpty();

        assertThat(errors(broken(object, provider, spec -> setAddress(spec, provider, "not-an-address"))))
                .as("a bad address")
                .isNotEmpty();
        assertThat(errors(broken(object, provider, spec -> spec.put("unknownField", true))))
                .as("an unknown field")
                .isNotEmpty();
    }

    @Test
    void withoutAGatewayThereIsNoObject() {
        EnvironmentChildren children = EnvironmentChildren.offline(
                new EnvironmentTopology(Fixtures.environment("team", "ase1"), List.of()), OperatorSettings.defaults());
        assertThat(children.egressGateway()).isEmpty();
        assertThat(children.all()).noneMatch(child -> child instanceof GenericKubernetesResource);
    }

    static List<FieldError> errors(JsonNode object) {
        return API.validate(object, null);
    }

    static JsonNode broken(JsonNode object, EgressGatewayProvider provider, Consumer<ObjectNode> change) {
        JsonNode copy = object.deepCopy();
        change.accept((ObjectNode) copy.get("spec"));
        return copy;
    }

    static void setAddress(ObjectNode spec, EgressGatewayProvider provider, String address) {
        switch (provider) {
            case Cilium -> ((ObjectNode) spec.get("egressGateway")).put("egressIP", address);
            case Antrea -> spec.put("egressIP", address);
            case OVNKubernetes -> spec.putArray("egressIPs").add(42);
        }
    }

    static AppServiceEnvironment withGateway(EgressGatewayProvider provider, String... addresses) {
        AppServiceEnvironment environment = Fixtures.environment("team", "ase1");
        EgressGateway gateway = new EgressGateway();
        gateway.setProvider(provider);
        gateway.setAddresses(List.of(addresses));
        OutboundSettings outbound = new OutboundSettings();
        outbound.setEgressGateway(gateway);
        environment.getSpec().setOutbound(outbound);
        return environment;
    }
}
