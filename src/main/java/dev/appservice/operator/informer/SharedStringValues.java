package dev.appservice.operator.informer;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.quarkus.kubernetes.client.KubernetesClientObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;

/**
 * One {@code String} object for each short text that objects from the API server repeat: label
 * keys and values, names of kinds, images, condition types and reasons, container settings. The
 * informers cache thousands of Deployments, Pods and Services whose texts are mostly the same
 * ("app.kubernetes.io/managed-by", "ase-operator", "RuntimeDefault", "True", an environment's
 * name...): the real-API-server benchmark's heap held about a million Strings (62 MiB with their
 * bytes) for 3,100 custom resources and their 7,800 children. Values the client reads are made
 * canonical as they are deserialised (field names already are, by Jackson's symbol table), through
 * the JVM's string table, whose entries go once nothing refers to them.
 *
 * <p>Not made canonical, since no other object repeats them: texts longer than
 * {@link #LONGEST_SHARED} characters (configuration files, certificates, digests, container IDs),
 * numbers (resource versions), UUIDs (uids) and timestamps.
 */
@Singleton
public class SharedStringValues implements KubernetesClientObjectMapperCustomizer {
    /** Longer texts are left as they are: what repeats is names, labels and settings. */
    static final int LONGEST_SHARED = 64;

    private static final int UUID_LENGTH = 36;

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(
                new SimpleModule(SharedStringValues.class.getSimpleName()).addDeserializer(String.class, new Shared()));
    }

    /** The canonical copy of {@code value}, or {@code value} itself when it is not worth sharing. */
    static String shared(String value) {
        if (value == null || value.isEmpty() || value.length() > LONGEST_SHARED || unique(value)) {
            return value;
        }
        return value.intern();
    }

    /** A number, a UUID or an RFC 3339 timestamp: texts that each object has its own of. */
    private static boolean unique(String value) {
        char first = value.charAt(0);
        if (first >= '0' && first <= '9') {
            boolean digits = true;
            for (int i = 1; i < value.length() && digits; i++) {
                char c = value.charAt(i);
                digits = c >= '0' && c <= '9';
            }
            if (digits) {
                return true;
            }
            // 2026-12-03T07:48:06Z
            if (value.length() >= 20 && value.charAt(4) == '-' && value.charAt(10) == 'T') {
                return true;
            }
        }
        return value.length() == UUID_LENGTH
                && value.charAt(8) == '-'
                && value.charAt(13) == '-'
                && value.charAt(18) == '-'
                && value.charAt(23) == '-';
    }

    private static final class Shared extends StringDeserializer {
        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            return shared(super.deserialize(parser, context));
        }
    }
}
