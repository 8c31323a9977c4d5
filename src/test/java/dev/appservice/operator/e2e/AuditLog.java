package dev.appservice.operator.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The API server's audit log (JSON lines, one event per finished request of a service account):
 * what the operator asked, as whom, and what the server answered. It is the server's own account,
 * so a request the operator's client retried or a refusal it swallowed is still here.
 */
final class AuditLog {
    static final Set<String> WRITE_VERBS = Set.of("create", "update", "patch", "delete", "deletecollection");
    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditLog() {}

    /** One request as the API server saw it. */
    record Request(
            Instant received,
            String user,
            String verb,
            String group,
            String resource,
            String subresource,
            String namespace,
            String name,
            int code,
            String message) {
        boolean isWrite() {
            return WRITE_VERBS.contains(verb);
        }

        boolean sameObject(Request other) {
            return group.equals(other.group)
                    && resource.equals(other.resource)
                    && subresource.equals(other.subresource)
                    && namespace.equals(other.namespace)
                    && name.equals(other.name);
        }

        boolean refused() {
            return code >= 400;
        }

        /** Leader election renews its Lease every few seconds: writes of the operator's upkeep, not of its work. */
        boolean isLeaseRenewal() {
            return "coordination.k8s.io".equals(group) && "leases".equals(resource);
        }

        /** "What may I do?" (the SDK asks at start-up): a question, created as an object but stored nowhere. */
        boolean isAccessReview() {
            return "authorization.k8s.io".equals(group);
        }

        /** Events are what the operator tells users; they are counted apart from the objects it manages. */
        boolean isEvent() {
            return "events".equals(resource);
        }

        @Override
        public String toString() {
            return "%s %s %s%s %s/%s -> %d %s"
                    .formatted(
                            user,
                            verb,
                            group.isEmpty() ? "" : group + "/",
                            resource + (subresource.isEmpty() ? "" : "/" + subresource),
                            namespace,
                            name,
                            code,
                            message);
        }
    }

    /** Every request of {@code user} in the log so far. */
    static List<Request> of(Path log, String user) {
        try {
            if (!Files.exists(log)) {
                return List.of();
            }
            return Files.readAllLines(log).stream()
                    .filter(line -> !line.isBlank())
                    .map(AuditLog::parse)
                    .filter(r -> r.user().equals(user))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Request parse(String line) {
        try {
            JsonNode event = JSON.readTree(line);
            JsonNode object = event.path("objectRef");
            JsonNode status = event.path("responseStatus");
            return new Request(
                    Instant.parse(event.path("requestReceivedTimestamp").asText()),
                    event.path("user").path("username").asText(),
                    event.path("verb").asText(),
                    object.path("apiGroup").asText(""),
                    object.path("resource").asText(""),
                    object.path("subresource").asText(""),
                    object.path("namespace").asText(""),
                    object.path("name").asText(""),
                    status.path("code").asInt(0),
                    status.path("message").asText(""));
        } catch (IOException e) {
            throw new UncheckedIOException("audit log line: " + line, e);
        }
    }
}
