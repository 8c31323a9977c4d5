package dev.appservice.operator.testing.apiserver;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;

/** A write the validation refused, carried out of the mock server's store to become its 422 answer. */
final class RefusedObject extends RuntimeException {
    private final transient Status status;

    RefusedObject(Status status) {
        super(status.getMessage(), null, false, false);
        this.status = status;
    }

    MockResponse response() {
        return new MockResponse().setResponseCode(status.getCode()).setBody(Serialization.asJson(status));
    }
}
