package dev.appservice.operator.install;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A request to the Kubernetes API as RBAC sees it: namespace ("" for cluster-wide), API group,
 * resource (with subresource), verb, object name ("" for collections).
 */
record ApiRequest(String namespace, String apiGroup, String resource, String verb, String name) {

    /** The request behind an HTTP method and path; empty for non-resource paths (discovery, /version). */
    static Optional<ApiRequest> parse(String method, String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
        List<String> segments =
                Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
        List<String> rest;
        String group;
        if (segments.size() >= 3 && segments.get(0).equals("api")) {
            group = "";
            rest = segments.subList(2, segments.size());
        } else if (segments.size() >= 4 && segments.get(0).equals("apis")) {
            group = segments.get(1);
            rest = segments.subList(3, segments.size());
        } else {
            return Optional.empty();
        }
        String namespace = "";
        if (rest.size() >= 3 && rest.get(0).equals("namespaces")) {
            namespace = rest.get(1);
            rest = rest.subList(2, rest.size());
        }
        String resource = rest.get(0);
        String name = rest.size() > 1 ? rest.get(1) : "";
        if (rest.size() > 2) {
            resource = resource + "/" + rest.get(2);
        }
        boolean watch = Arrays.asList(query.split("&")).contains("watch=true");
        String verb = switch (method) {
            case "GET" -> watch ? "watch" : name.isEmpty() ? "list" : "get";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name.isEmpty() ? "deletecollection" : "delete";
            default -> method.toLowerCase();
        };
        return Optional.of(new ApiRequest(namespace, group, resource, verb, name));
    }

    boolean allowedBy(Grant grant) {
        // A watch of one object (fieldSelector on its name) is authorized like a watch of the collection.
        String objectName = verb.equals("list") || verb.equals("watch") ? "" : name;
        return grant.allows(namespace, apiGroup, resource, verb, objectName);
    }

    String describe() {
        return (apiGroup.isEmpty() ? "core" : apiGroup) + "/" + resource + " " + verb;
    }

    @Override
    public String toString() {
        return describe()
                + (namespace.isEmpty() ? " cluster-wide" : " in " + namespace)
                + (name.isEmpty() ? "" : " " + name);
    }
}
