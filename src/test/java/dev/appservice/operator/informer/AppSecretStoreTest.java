package dev.appservice.operator.informer;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AppSecretStoreTest {
    private static final ResourceID SHOP_TLS = new ResourceID("shop-tls", "contoso");
    private static final ResourceID OTHER_TLS = new ResourceID("other-tls", "contoso");

    private final Set<ResourceID> named = new HashSet<>();
    private final Map<ResourceID, Secret> server = new HashMap<>();
    private final List<ResourceID> fetches = new ArrayList<>();
    private final AppSecretStore store = new AppSecretStore(named::contains, id -> {
        fetches.add(id);
        return server.get(id);
    });

    private static Secret tls(ResourceID id, String version, String certificate) {
        return new SecretBuilder()
                .withNewMetadata()
                .withName(id.getName())
                .withNamespace(id.getNamespace().orElseThrow())
                .withResourceVersion(version)
                .addToLabels("team", "shop")
                .endMetadata()
                .withType("kubernetes.io/tls")
                .addToData("tls.crt", certificate)
                .addToData("tls.key", "private-" + certificate)
                .build();
    }

    private void arrives(Secret secret) {
        server.put(ResourceID.fromResource(secret), secret);
        store.put(
                store.getKey(secret),
                tls(
                        ResourceID.fromResource(secret),
                        secret.getMetadata().getResourceVersion(),
                        secret.getData().get("tls.crt")));
    }

    @Test
    void aSecretNoAppNamesIsCachedWithoutItsKey() {
        arrives(tls(OTHER_TLS, "1", "other"));

        Secret cached = store.get("contoso/other-tls");
        assertThat(cached.getData())
                .as("no certificate or private key in memory")
                .isNullOrEmpty();
        assertThat(cached.getMetadata().getLabels()).containsEntry("team", "shop");
        assertThat(cached.getMetadata().getResourceVersion()).isEqualTo("1");
        assertThat(store.holdsDataOf(OTHER_TLS)).isFalse();
    }

    @Test
    void aSecretAnAppNamesIsCachedWithItsDataAndReadWithoutAFetch() {
        named.add(SHOP_TLS);
        arrives(tls(SHOP_TLS, "1", "shop"));

        assertThat(store.read(SHOP_TLS))
                .hasValueSatisfying(s -> assertThat(s.getData())
                        .containsEntry("tls.crt", "shop")
                        .containsEntry("tls.key", "private-shop"));
        assertThat(fetches).isEmpty();
    }

    @Test
    void aSecretNamedAfterItArrivedIsFetchedOncePerVersion() {
        arrives(tls(SHOP_TLS, "1", "shop"));
        named.add(SHOP_TLS);

        assertThat(store.read(SHOP_TLS))
                .hasValueSatisfying(s -> assertThat(s.getData()).containsEntry("tls.crt", "shop"));
        assertThat(store.read(SHOP_TLS)).isPresent();
        assertThat(fetches).as("one GET for the version the cache holds").containsExactly(SHOP_TLS);

        // The next version arrives while the app names it: kept with its data, no GET.
        arrives(tls(SHOP_TLS, "2", "renewed"));
        assertThat(store.read(SHOP_TLS))
                .hasValueSatisfying(s -> assertThat(s.getData()).containsEntry("tls.crt", "renewed"));
        assertThat(fetches).hasSize(1);
    }

    @Test
    void aSecretNoLongerNamedDropsItsDataWithItsNextVersion() {
        named.add(SHOP_TLS);
        arrives(tls(SHOP_TLS, "1", "shop"));
        named.remove(SHOP_TLS);
        arrives(tls(SHOP_TLS, "2", "shop"));

        assertThat(store.get("contoso/shop-tls").getData()).isNullOrEmpty();
        assertThat(store.holdsDataOf(SHOP_TLS)).isFalse();
    }

    @Test
    void aSecretThatIsGoneIsNotRead() {
        assertThat(store.read(SHOP_TLS)).isEmpty();
        arrives(tls(SHOP_TLS, "1", "shop"));
        store.remove("contoso/shop-tls");
        named.add(SHOP_TLS);

        assertThat(store.read(SHOP_TLS)).isEmpty();
        assertThat(fetches).isEmpty();
    }
}
