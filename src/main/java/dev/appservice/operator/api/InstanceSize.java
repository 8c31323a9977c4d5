package dev.appservice.operator.api;

/**
 * Isolated instance sizes. Each is the request and limit of the pod that is one front end or one
 * worker instance. Quantities are written in the canonical form the API server stores, so an
 * update-mode matcher sees no difference between what it wrote and what it reads back.
 */
public enum InstanceSize {
    I1(1, 3584),
    I2(2, 7168),
    I3(4, 14336);

    private final int vCpus;
    private final int memoryMiB;

    InstanceSize(int vCpus, int memoryMiB) {
        this.vCpus = vCpus;
        this.memoryMiB = memoryMiB;
    }

    public int vCpus() {
        return vCpus;
    }

    public int memoryMiB() {
        return memoryMiB;
    }

    /** The CPU quantity in canonical form, e.g. {@code "2"}. */
    public String cpuQuantity() {
        return Integer.toString(vCpus);
    }

    /** The memory quantity in canonical form, e.g. {@code "3584Mi"} or {@code "7Gi"}. */
    public String memoryQuantity() {
        return MemoryQuantity.ofMiB(memoryMiB);
    }
}
