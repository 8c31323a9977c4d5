package dev.appservice.operator.operability;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator SDK records {@code events.received} with an {@code action} tag for resource events
 * and without it for others; Prometheus refuses one name with two sets of tag keys (and the
 * refusal surfaces in event handling). Every such meter gets the tag, {@code none} when absent.
 */
@ApplicationScoped
public class ConsistentMeterTags {
    static final String EVENTS_RECEIVED = "events.received";

    @Produces
    @Singleton
    MeterFilter eventsAlwaysHaveAnAction() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (!id.getName().startsWith(EVENTS_RECEIVED) || id.getTag("action") != null) {
                    return id;
                }
                List<Tag> tags = new ArrayList<>(id.getTags());
                tags.add(Tag.of("action", "none"));
                return id.replaceTags(tags);
            }
        };
    }
}
