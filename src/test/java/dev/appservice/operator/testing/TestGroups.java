package dev.appservice.operator.testing;

/**
 * The JUnit tags that keep tests out of the quick loop ({@code ./mvnw -B test -Pquick}); CI's
 * {@code ./mvnw -B verify} runs every test whatever its tag.
 */
public final class TestGroups {
    /** Tests that run the real nginx with traffic (the data plane): seconds each, load on both cores. */
    public static final String DATA_PLANE = "dataplane";

    /** Property, size and fault-injection tests that take tens of seconds. */
    public static final String SLOW = "slow";

    private TestGroups() {}
}
