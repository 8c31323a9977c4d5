package dev.appservice.operator.informer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.testing.Fixtures;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.impl.cache.CacheImpl;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The host-name index as an informer's cache holds it: host names in buckets, so that 500 apps of
 * 64 host names are not 32,000 index entries, and a lookup narrowed to the apps that do hold the
 * name.
 */
class HostNameIndexTest {
    static WebApp app(String name, List<String> hosts) {
        WebApp app = Fixtures.app("team", name, "web", 8080);
        app.getSpec().setHostNames(hosts);
        return app;
    }

    static Cache<WebApp> indexed(List<WebApp> apps) {
        CacheImpl<WebApp> cache = new CacheImpl<>();
        cache.addIndexers(Map.of(CacheIndexes.APPS_BY_HOST_NAME, CacheIndexes.appsByHostName()));
        apps.forEach(cache::put);
        return cache;
    }

    @Test
    void aNamespaceHasAtMostABucketCountOfKeysHoweverManyHostNames() {
        List<WebApp> apps = IntStream.range(0, 500)
                .mapToObj(a -> app(
                        "app-" + a,
                        IntStream.range(0, 64)
                                .mapToObj(h -> "h" + h + "-app-" + a + ".contoso.com")
                                .toList()))
                .toList();
        Cache<WebApp> cache = indexed(apps);
        long keys = apps.stream()
                .flatMap(a -> CacheIndexes.appsByHostName().apply(a).stream())
                .distinct()
                .count();
        assertThat(keys).isLessThanOrEqualTo(CacheIndexes.HOST_NAME_BUCKETS).isLessThan(500 * 64);
        // Every app is found by each of its host names, and only the one holding it survives the narrowing.
        for (WebApp app : List.of(apps.get(0), apps.get(250), apps.get(499))) {
            for (String host : app.getSpec().getHostNames()) {
                assertThat(
                                cache
                                        .byIndex(CacheIndexes.APPS_BY_HOST_NAME, CacheIndexes.hostNameKey("team", host))
                                        .stream()
                                        .filter(candidate -> CacheIndexes.holdsHostName(candidate, host)))
                        .containsExactly(app);
            }
        }
    }

    @Test
    void twoHostNamesOfOneBucketAreToldApart() {
        String first = "a0.contoso.com";
        String second = IntStream.range(1, 1_000_000)
                .mapToObj(i -> "a" + i + ".contoso.com")
                .filter(host -> CacheIndexes.hostNameKey("team", host).equals(CacheIndexes.hostNameKey("team", first)))
                .findFirst()
                .orElseThrow();
        WebApp holdsFirst = app("first", List.of(first));
        WebApp holdsSecond = app("second", List.of(second));
        Cache<WebApp> cache = indexed(List.of(holdsFirst, holdsSecond));

        assertThat(cache.byIndex(CacheIndexes.APPS_BY_HOST_NAME, CacheIndexes.hostNameKey("team", first)))
                .as("one bucket")
                .containsExactlyInAnyOrder(holdsFirst, holdsSecond);
        assertThat(CacheIndexes.holdsHostName(holdsFirst, first)).isTrue();
        assertThat(CacheIndexes.holdsHostName(holdsSecond, first)).isFalse();
        assertThat(CacheIndexes.shareHostName(holdsFirst, holdsSecond)).isFalse();
        assertThat(CacheIndexes.shareHostName(holdsFirst, app("third", List.of("x.contoso.com", first))))
                .isTrue();
        assertThat(CacheIndexes.hostNameKey("other", first)).isNotEqualTo(CacheIndexes.hostNameKey("team", first));
    }
}
