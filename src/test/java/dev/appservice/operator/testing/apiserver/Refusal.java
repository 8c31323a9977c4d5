package dev.appservice.operator.testing.apiserver;

import io.fabric8.kubernetes.api.model.Status;

/** A write the validating layer answered 422: the request path and the Status it answered. */
public record Refusal(String path, Status status) {

    /** The namespace of the path ({@code .../namespaces/<ns>/...}), or "" for a cluster-scoped object. */
    public String namespace() {
        int at = path.indexOf("/namespaces/");
        if (at < 0) {
            return "";
        }
        String rest = path.substring(at + "/namespaces/".length());
        int end = rest.indexOf('/');
        return end < 0 ? rest : rest.substring(0, end);
    }

    @Override
    public String toString() {
        return path + ": " + status.getMessage();
    }
}
