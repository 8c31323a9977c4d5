package dev.appservice.operator.webapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.appservice.operator.api.DeploymentSlot;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.desired.FunctionHost;
import dev.appservice.operator.desired.FunctionKeys;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.testing.Fixtures;
import dev.appservice.operator.testing.apiserver.ValidatingMixedDispatcher;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.MockWebServer;
import io.javaoperatorsdk.operator.Operator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A function app's keys Secret through the WebApp reconciler against the validating mock API
 * server: created once, owned by the app, mounted read-only; unchanged (not even rewritten) by
 * later reconciles, by a slot added (which gets keys of its own), and by a restart of the
 * operator (a new Operator with a new reconciler instance, reading the Secret back); and the keys
 * never in the operator's logs (captured at debug level), the app's status or events.
 */
class FunctionKeysTest {
    static final String NS = "fk";
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    KubernetesMockServer server;
    KubernetesClient client;
    final List<Operator> operators = new ArrayList<>();
    final List<String> logs = new CopyOnWriteArrayList<>();
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            StringBuilder line = new StringBuilder(String.valueOf(record.getMessage()));
            if (record.getParameters() != null) {
                for (Object parameter : record.getParameters()) {
                    line.append(' ').append(parameter);
                }
            }
            for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
                line.append(' ').append(t);
            }
            logs.add(line.toString());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    final Map<String, Level> levels = new HashMap<>();

    @BeforeEach
    void start() throws Exception {
        server = new KubernetesMockServer(
                new io.fabric8.mockwebserver.Context(),
                new MockWebServer(),
                new HashMap<>(),
                ValidatingMixedDispatcher.forProject(new HashMap<>()),
                false);
        server.init();
        client = server.createClient();
        try (var files = Files.list(Path.of("crds"))) {
            for (Path crd : files.sorted().toList()) {
                client.resource(Serialization.unmarshal(Files.readString(crd), CustomResourceDefinition.class))
                        .create();
            }
        }
        Logger.getLogger("").addHandler(capture);
        for (String name : List.of("io.javaoperatorsdk", "dev.appservice")) {
            Logger logger = Logger.getLogger(name);
            levels.put(name, logger.getLevel());
            logger.setLevel(Level.FINE);
        }
    }

    @AfterEach
    void stop() {
        operators.forEach(Operator::stop);
        Logger.getLogger("").removeHandler(capture);
        levels.forEach((name, level) -> Logger.getLogger(name).setLevel(level));
        client.close();
        server.destroy();
    }

    /** An operator running the WebApp controller alone, with a reconciler of its own. */
    Operator operator() {
        // As application.properties configures the Quarkus extension: no server-side apply.
        Operator operator = new Operator(o -> o.withKubernetesClient(client)
                .withCloseClientOnStop(false)
                .withSSABasedCreateUpdateMatchForDependentResources(false)
                .withUseSSAToPatchPrimaryResource(false));
        operator.register(new WebAppReconciler());
        operator.start();
        operators.add(operator);
        return operator;
    }

    Secret keys() {
        return client.secrets()
                .inNamespace(NS)
                .withName(FunctionKeys.secretName("orders"))
                .get();
    }

    Deployment awaitDeployment(String name, Predicate<Deployment> condition) {
        return await().atMost(TIMEOUT)
                .until(
                        () -> client.apps()
                                .deployments()
                                .inNamespace(NS)
                                .withName(name)
                                .get(),
                        d -> d != null && condition.test(d));
    }

    static boolean hasEnv(Deployment deployment, String name) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .anyMatch(e -> e.getName().equals(name));
    }

    static DeploymentSlot slot(String name) {
        DeploymentSlot slot = new DeploymentSlot();
        slot.setName(name);
        slot.setImage("registry.example/orders:" + name);
        return slot;
    }

    /** A change of the app's spec, as a patch (the operator writes its status meanwhile). */
    void editApp(java.util.function.Consumer<WebApp> change) {
        client.resources(WebApp.class).inNamespace(NS).withName("orders").edit(app -> {
            change.accept(app);
            return app;
        });
    }

    static EnvVar env(String name) {
        return new EnvVarBuilder().withName(name).withValue("1").build();
    }

    @Test
    void aFunctionAppItsPlanDoesNotRunHasNoKeysUntilItRuns() {
        client.resource(Fixtures.environment(NS, "ase1")).create();
        client.resource(Fixtures.plan(NS, "fn", "ase1", InstanceSize.I1, 1)).create();
        // Admission order is creation time, then name: the plan's density of apps come before "orders".
        for (int i = 1; i <= dev.appservice.operator.model.AppDensity.I1_APPS_PER_INSTANCE; i++) {
            client.resource(Fixtures.app(NS, "app" + i, "fn", 8080)).create();
        }
        client.resource(Fixtures.functionApp(NS, "orders", "fn", 8080, "node")).create();
        operator();

        await().atMost(TIMEOUT)
                .until(
                        () -> client.resources(WebApp.class)
                                .inNamespace(NS)
                                .withName("orders")
                                .get(),
                        a -> a.getStatus() != null
                                && a.getStatus().getConditions() != null
                                && "PlanCapacityExceeded"
                                        .equals(dev.appservice.operator.status.Conditions.find(
                                                        a.getStatus().getConditions(), "Ready")
                                                .getReason()));
        assertThat(keys()).as("no keys for an app that does not run").isNull();

        // An earlier app goes: the function app runs, with its keys.
        client.resources(WebApp.class).inNamespace(NS).withName("app1").delete();
        assertThat(await().atMost(TIMEOUT).until(this::keys, s -> s != null).getData())
                .containsOnlyKeys("production.host.json");
    }

    @Test
    void keysAreGeneratedOnceKeptAcrossReconcilesAndRestartsAndNeverShown() throws Exception {
        client.resource(Fixtures.environment(NS, "ase1")).create();
        client.resource(Fixtures.plan(NS, "fn", "ase1", InstanceSize.I1, 2)).create();
        WebApp app = Fixtures.functionApp(NS, "orders", "fn", 8080, "node");
        app.getSpec().setSlots(List.of(slot("staging")));
        client.resource(app).create();
        operator();

        // Created once, owned by the app, labelled; one host.json per deployment with a master and a default key.
        Secret created = await().atMost(TIMEOUT).until(this::keys, s -> s != null);
        assertThat(created.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getKind() + "/" + o.getName()).isEqualTo("WebApp/orders");
            assertThat(o.getController()).isTrue();
        });
        assertThat(created.getMetadata().getLabels())
                .containsEntry(FunctionKeys.LABEL, "true")
                .containsEntry("appservice.dev/webapp", "orders")
                .containsEntry("app.kubernetes.io/managed-by", "ase-operator");
        Map<String, String> data = created.getData();
        assertThat(data).containsOnlyKeys("production.host.json", "staging.host.json");
        List<String> keyValues = new ArrayList<>();
        for (String entry : data.values()) {
            JsonNode host = new ObjectMapper().readTree(Base64.getDecoder().decode(entry));
            assertThat(host.path("masterKey").path("name").asText()).isEqualTo("master");
            assertThat(host.path("masterKey").path("encrypted").asBoolean()).isFalse();
            assertThat(host.path("functionKeys").get(0).path("name").asText()).isEqualTo("default");
            keyValues.add(host.path("masterKey").path("value").asText());
            keyValues.add(host.path("functionKeys").get(0).path("value").asText());
        }
        assertThat(keyValues)
                .hasSize(4)
                .doesNotHaveDuplicates()
                .allSatisfy(k -> assertThat(k).hasSizeGreaterThanOrEqualTo(43));

        // The app and its slot mount their own entry read-only, with the host's settings.
        Deployment production = awaitDeployment(ResourceNames.appWorkload("orders"), d -> true);
        var pod = production.getSpec().getTemplate().getSpec();
        assertThat(pod.getVolumes())
                .filteredOn(v -> v.getName().equals(FunctionHost.KEYS_VOLUME))
                .singleElement()
                .satisfies(v -> {
                    assertThat(v.getSecret().getSecretName()).isEqualTo(FunctionKeys.secretName("orders"));
                    assertThat(v.getSecret().getItems()).singleElement().satisfies(i -> {
                        assertThat(i.getKey()).isEqualTo("production.host.json");
                        assertThat(i.getPath()).isEqualTo("host.json");
                    });
                });
        assertThat(pod.getContainers().get(0).getVolumeMounts())
                .filteredOn(m -> m.getName().equals(FunctionHost.KEYS_VOLUME))
                .singleElement()
                .satisfies(m -> {
                    assertThat(m.getReadOnly()).isTrue();
                    assertThat(m.getMountPath()).isEqualTo(FunctionHost.SECRETS_PATH);
                });
        assertThat(pod.getContainers().get(0).getEnv())
                .extracting(EnvVar::getName)
                .contains(
                        "FUNCTIONS_WORKER_RUNTIME",
                        "AzureWebJobsStorage",
                        "AzureWebJobsScriptRoot",
                        "AzureFunctionsJobHost__Logging__Console__IsEnabled",
                        "AzureWebJobsSecretStorageType",
                        "FUNCTIONS_SECRETS_PATH");
        assertThat(pod.getContainers().get(0).getEnv())
                .filteredOn(e -> e.getName().equals("AzureWebJobsStorage"))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.getValue()).isNull();
                    assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("orders-storage");
                    assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("connection");
                });
        Deployment staging = awaitDeployment(ResourceNames.slotWorkload("orders", "staging"), d -> true);
        assertThat(staging.getSpec().getTemplate().getSpec().getVolumes())
                .filteredOn(v -> v.getName().equals(FunctionHost.KEYS_VOLUME))
                .singleElement()
                .satisfies(v ->
                        assertThat(v.getSecret().getItems().get(0).getKey()).isEqualTo("staging.host.json"));
        assertThat(hasEnv(staging, "FUNCTIONS_WORKER_RUNTIME")).isTrue();

        // Reconciled again (a change to the app): the Secret is not written.
        String version = created.getMetadata().getResourceVersion();
        editApp(a -> a.getSpec().setEnv(List.of(env("FIRST"))));
        awaitDeployment(ResourceNames.appWorkload("orders"), d -> hasEnv(d, "FIRST"));
        assertThat(keys().getData()).isEqualTo(data);
        assertThat(keys().getMetadata().getResourceVersion()).isEqualTo(version);

        // A slot added gets keys of its own; the others' stay as they were.
        editApp(a -> a.getSpec().setSlots(List.of(slot("staging"), slot("canary"))));
        Secret withCanary =
                await().atMost(TIMEOUT).until(this::keys, s -> s.getData().containsKey("canary.host.json"));
        assertThat(withCanary.getData())
                .containsEntry("production.host.json", data.get("production.host.json"))
                .containsEntry("staging.host.json", data.get("staging.host.json"));
        data = withCanary.getData();
        version = withCanary.getMetadata().getResourceVersion();
        String canary = new String(Base64.getDecoder().decode(data.get("canary.host.json")), StandardCharsets.UTF_8);
        JsonNode canaryHost = new ObjectMapper().readTree(canary);
        keyValues.add(canaryHost.path("masterKey").path("value").asText());
        keyValues.add(canaryHost.path("functionKeys").get(0).path("value").asText());

        // The operator restarted: a new Operator and a new reconciler read the Secret back and write nothing new.
        operators.remove(0).stop();
        operator();
        editApp(a -> a.getSpec().setEnv(List.of(env("SECOND"))));
        awaitDeployment(ResourceNames.appWorkload("orders"), d -> hasEnv(d, "SECOND"));
        assertThat(keys().getData()).isEqualTo(data);
        assertThat(keys().getMetadata().getResourceVersion()).isEqualTo(version);

        // Never shown: not in the logs (the reconciler's and the SDK's, at debug), the status or the events.
        assertThat(logs).as("the operator logged").isNotEmpty();
        String status = Serialization.asJson(client.resources(WebApp.class)
                .inNamespace(NS)
                .withName("orders")
                .get());
        String events =
                Serialization.asJson(client.v1().events().inNamespace(NS).list());
        for (String key : keyValues) {
            assertThat(logs).noneMatch(line -> line.contains(key));
            assertThat(status).doesNotContain(key);
            assertThat(events).doesNotContain(key);
        }
        for (String entry : data.values()) {
            assertThat(logs).noneMatch(line -> line.contains(entry));
        }
    }
}
