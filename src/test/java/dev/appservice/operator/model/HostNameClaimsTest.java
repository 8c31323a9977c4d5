package dev.appservice.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.api.WebAppSpec;
import dev.appservice.operator.desired.NginxConfig;
import dev.appservice.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Host names held across an environment, as the reconcilers and the front ends see them, whatever
 * order the apps arrive in (past a bypassed webhook, an app before its plan, two admitted at
 * once): the app created first keeps a contested name, the other is served at its other names
 * and told why, naming both; names under the dnsSuffix stay the default names of apps.
 */
class HostNameClaimsTest {
    static final String NS = "team";
    final AppServiceEnvironment environment = Fixtures.environment(NS, "ase1");
    final IsolatedPlan web = Fixtures.plan(NS, "web", "ase1", InstanceSize.I1, 1);
    final IsolatedPlan api = Fixtures.plan(NS, "api", "ase1", InstanceSize.I1, 1);

    static WebApp app(String name, String plan, String created, String... hosts) {
        WebApp app = new WebApp();
        app.setMetadata(new ObjectMetaBuilder()
                .withNamespace(NS)
                .withName(name)
                .withCreationTimestamp(created)
                .build());
        WebAppSpec spec = new WebAppSpec();
        spec.setPlanName(plan);
        spec.setImage("registry.example/" + name + ":1");
        spec.setHostNames(List.of(hosts));
        app.setSpec(spec);
        return app;
    }

    static List<WebApp> with(List<WebApp> crowd, WebApp... apps) {
        List<WebApp> all = new ArrayList<>(crowd);
        all.addAll(List.of(apps));
        return all;
    }

    String suffix() {
        return environment.getSpec().effectiveDnsSuffix("ase1");
    }

    @Test
    void theAppCreatedFirstKeepsAContestedNameInEveryArrivalOrder() {
        WebApp first = app("zeta", "web", "2026-01-01T00:00:00Z", "www.contoso.com");
        WebApp second = app("alpha", "api", "2026-01-02T00:00:00Z", "www.contoso.com", "shop.contoso.com");
        WebApp tie = app("beta", "api", "2026-01-01T00:00:00Z", "www.contoso.com");
        List<WebApp> apps = new ArrayList<>(List.of(first, second, tie));
        for (int order = 0; order < 6; order++) {
            Collections.rotate(apps, 1);
            if (order == 3) {
                Collections.reverse(apps);
            }
            EnvironmentTopology topology = new EnvironmentTopology(environment, List.of(api, web), apps);
            assertThat(topology.hostNames(tie))
                    .as("same creation time: by name, beta before zeta")
                    .containsExactly("beta." + suffix(), "www.contoso.com");
            assertThat(topology.hostNames(first)).containsExactly("zeta." + suffix());
            assertThat(topology.hostNames(second)).containsExactly("alpha." + suffix(), "shop.contoso.com");
            assertThat(topology.hostNameClaims().lost(second)).singleElement().satisfies(lost -> {
                assertThat(lost.host()).isEqualTo("www.contoso.com");
                assertThat(lost.reason())
                        .contains("WebApp team/beta")
                        .contains("WebApp team/alpha")
                        .contains("created first");
            });
            String config = String.join(
                    "\n",
                    NginxConfig.render(topology, NginxConfig.AppAddresses.NONE)
                            .files()
                            .values());
            assertThat(config.split("www\\.contoso\\.com", -1))
                    .as("the front ends route the name once")
                    .hasSize(2);
        }
    }

    @Test
    void claimsAreBuiltAgainOnlyWhenWhatTheyReadChanges() {
        // An environment large enough for its claims to be kept.
        List<WebApp> crowd = new ArrayList<>();
        for (int i = 0; i < HostNameClaims.KEPT_FROM_APPS; i++) {
            crowd.add(app("app-" + i, "web", "2026-01-03T00:00:00Z", "app-" + i + ".contoso.com"));
        }
        WebApp first = app("zeta", "web", "2026-01-01T00:00:00Z", "www.contoso.com");
        WebApp second = app("alpha", "api", "2026-01-02T00:00:00Z", "www.contoso.com", "shop.contoso.com");
        HostNameClaims claims =
                new EnvironmentTopology(environment, List.of(api, web), with(crowd, first, second)).hostNameClaims();

        // A status write: new objects, the same names, creation times and host names.
        WebApp secondWithStatus = app("alpha", "api", "2026-01-02T00:00:00Z", "www.contoso.com", "shop.contoso.com");
        secondWithStatus.setStatus(new dev.appservice.operator.api.WebAppStatus());
        EnvironmentTopology unchanged =
                new EnvironmentTopology(environment, List.of(api, web), with(crowd, first, secondWithStatus));
        assertThat(unchanged.hostNameClaims()).as("kept for the environment").isSameAs(claims);

        // The earlier app gives the contested name up: the later one holds it now.
        WebApp firstWithout = app("zeta", "web", "2026-01-01T00:00:00Z");
        EnvironmentTopology changed =
                new EnvironmentTopology(environment, List.of(api, web), with(crowd, firstWithout, secondWithStatus));
        assertThat(changed.hostNameClaims()).isNotSameAs(claims);
        assertThat(changed.hostNames(secondWithStatus))
                .containsExactly("alpha." + suffix(), "www.contoso.com", "shop.contoso.com");

        // A host name list changed in place is seen as changed.
        List<String> hosts = new ArrayList<>(List.of("www.contoso.com"));
        WebApp mutable = app("zeta", "web", "2026-01-01T00:00:00Z");
        mutable.getSpec().setHostNames(hosts);
        HostNameClaims before =
                new EnvironmentTopology(environment, List.of(api, web), with(crowd, mutable, second)).hostNameClaims();
        hosts.clear();
        EnvironmentTopology after =
                new EnvironmentTopology(environment, List.of(api, web), with(crowd, mutable, second));
        assertThat(after.hostNameClaims()).isNotSameAs(before);
        assertThat(after.hostNames(second)).containsExactly("alpha." + suffix(), "www.contoso.com", "shop.contoso.com");

        // So is a creation time: the app created first keeps the name.
        WebApp secondEarlier = app("alpha", "api", "2025-12-31T00:00:00Z", "www.contoso.com", "shop.contoso.com");
        EnvironmentTopology reordered =
                new EnvironmentTopology(environment, List.of(api, web), with(crowd, first, secondEarlier));
        assertThat(reordered.hostNames(secondEarlier))
                .containsExactly("alpha." + suffix(), "www.contoso.com", "shop.contoso.com");
        assertThat(reordered.hostNames(first)).containsExactly("zeta." + suffix());
    }

    @Test
    void namesUnderTheDnsSuffixStayTheDefaultNamesOfApps() {
        WebApp squatter = app(
                "squatter",
                "web",
                "2026-01-01T00:00:00Z",
                "payments." + suffix(),
                "*." + suffix(),
                "*.appservice.local");
        WebApp payments = app("payments", "api", "2026-01-02T00:00:00Z");
        EnvironmentTopology topology =
                new EnvironmentTopology(environment, List.of(web, api), List.of(squatter, payments));
        assertThat(topology.hostNames(payments))
                .as("the later app keeps its own default name")
                .containsExactly("payments." + suffix());
        assertThat(topology.hostNames(squatter)).containsExactly("squatter." + suffix());
        assertThat(topology.hostNameClaims().lost(squatter))
                .extracting(HostNameClaims.Lost::host)
                .containsExactly("payments." + suffix(), "*." + suffix(), "*.appservice.local");
        assertThat(topology.hostNameClaims().lost(payments)).isEmpty();
    }
}
