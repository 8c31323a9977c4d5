package dev.appservice.operator.desired;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The front ends' nginx configuration as files: the main file and the shards of app servers it
 * includes (see {@link NginxConfig}). The first shard travels in the main ConfigMap; further
 * shards, only for environments with many apps, get ConfigMaps of their own.
 *
 * @param main   {@code nginx.conf}
 * @param shards file name to content, {@code apps-00.conf} first
 */
public record FrontEndConfiguration(String main, SortedMap<String, String> shards) {
    public FrontEndConfiguration {
        shards = Collections.unmodifiableSortedMap(new TreeMap<>(shards));
    }

    /** Every file by name: {@code nginx.conf} and the shards. */
    public SortedMap<String, String> files() {
        SortedMap<String, String> files = new TreeMap<>(shards);
        files.put(NginxConfig.MAIN_FILE, main);
        return files;
    }
}
