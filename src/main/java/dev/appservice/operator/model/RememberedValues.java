package dev.appservice.operator.model;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * Values the operator's process keeps between reconciles and reviews because they are costly to
 * compute again and never change for their key: at most {@code capacity} of them, and when full it
 * starts over (far more than one operator holds, so only a leak's growth is cut). Thread-safe.
 */
public final class RememberedValues<K, V> {
    private final int capacity;
    private final ConcurrentMap<K, V> values = new ConcurrentHashMap<>();

    public RememberedValues(int capacity) {
        this.capacity = capacity;
    }

    /** The value remembered for the key, if any. */
    public V get(K key) {
        return values.get(key);
    }

    /** Remembers the value for the key, replacing the one before. */
    public void put(K key, V value) {
        if (values.size() >= capacity) {
            values.clear();
        }
        values.put(key, value);
    }

    /** The value remembered for the key, else computed, remembered and returned. */
    public V computeIfAbsent(K key, Supplier<V> compute) {
        V known = values.get(key);
        if (known != null) {
            return known;
        }
        if (values.size() >= capacity) {
            values.clear();
        }
        return values.computeIfAbsent(key, k -> compute.get());
    }
}
