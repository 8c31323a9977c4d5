package dev.appservice.operator.install;

/**
 * One permission: a verb on a resource (with its subresource, e.g. {@code isolatedplans/status}) of
 * an API group ("" for core), in a namespace or cluster-wide ({@link #CLUSTER}), on every object or
 * only on the one named.
 */
record Grant(String scope, String apiGroup, String resource, String verb, String resourceName) {
    static final String CLUSTER = "*";
    static final String ANY_NAME = "";

    static Grant of(String scope, String apiGroup, String resource, String verb) {
        return new Grant(scope, apiGroup, resource, verb, ANY_NAME);
    }

    /** Whether this grant lets a request of that verb on that object (name "" for collections) through. */
    boolean allows(String namespace, String group, String resource, String verb, String name) {
        boolean inScope = scope.equals(CLUSTER) || scope.equals(namespace);
        boolean named = resourceName.equals(ANY_NAME) || resourceName.equals(name);
        return inScope && named && apiGroup.equals(group) && this.resource.equals(resource) && this.verb.equals(verb);
    }

    @Override
    public String toString() {
        return (apiGroup.isEmpty() ? "core" : apiGroup) + "/" + resource + " " + verb
                + (resourceName.isEmpty() ? "" : " [" + resourceName + "]")
                + (scope.equals(CLUSTER) ? " cluster-wide" : " in " + scope);
    }
}
