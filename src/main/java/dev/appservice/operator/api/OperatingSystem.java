package dev.appservice.operator.api;

/**
 * The operating system a plan's instances run, as on App Service: {@code Linux} (the default) or
 * {@code Windows}. A plan runs apps of one operating system; it cannot change.
 */
public enum OperatingSystem {
    Linux("linux"),
    Windows("windows");

    private final String podOsName;

    OperatingSystem(String podOsName) {
        this.podOsName = podOsName;
    }

    /** The value of a pod's {@code spec.os.name} and of the nodes' {@code kubernetes.io/os} label. */
    public String podOsName() {
        return podOsName;
    }
}
