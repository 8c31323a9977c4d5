package dev.appservice.operator.admission;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.appservice.operator.validation.WebAppBudget;
import java.io.IOException;

/**
 * How large an AdmissionReview the webhook reads (API.md, "Isolation": one expensive review cannot
 * starve the others). A review holds the object and, on an update, its previous version; one
 * larger than the largest admissible objects allow is refused before it is deserialised, with an
 * AdmissionReview that says so (the API server shows the message to the user), having read only
 * its {@code uid} and resource from the start of the body.
 */
public final class ReviewSize {
    /** The largest object the API server stores (etcd's default request limit, 1.5 MiB). */
    public static final int LARGEST_STORED_OBJECT_BYTES = 3 * 512 * 1024;

    /** The largest request body the API server accepts (its default MaxRequestBodyBytes, 3 MiB): a new object may be that large at admission, before storage refuses it. */
    public static final int LARGEST_REQUEST_OBJECT_BYTES = 3 * 1024 * 1024;

    /** What a review holds besides its objects: kinds, resources, user info, options. */
    public static final int ENVELOPE_BYTES = 64 * 1024;

    /**
     * The largest review of two storable objects (an update of an environment with the largest
     * admissible NSG): 2 x 1.5 MiB + 64 KiB. Above it, one of the objects could not be stored anyway.
     */
    public static final int MAX_REVIEW_BYTES = 2 * LARGEST_STORED_OBJECT_BYTES + ENVELOPE_BYTES;

    /**
     * The API server writes {@code <}, {@code >} and {@code &} as six-byte escapes ({@code \u003c}),
     * so an object's JSON in a review may be up to six times what {@link WebAppBudget} counts.
     */
    static final int ESCAPED_BYTES_PER_CHARACTER = 6;

    /** What the API server adds to a WebApp: managedFields and the operator's status. */
    static final int SERVER_FIELDS_BYTES = 128 * 1024;

    /**
     * The largest review of a WebApp: two objects of {@link WebAppBudget#MAX_OBJECT_BYTES}, each
     * escaped at worst and with what the server adds, and the envelope: 2 x (6 x 48 KiB + 128 KiB)
     * + 64 KiB = 896 KiB.
     */
    public static final int MAX_WEBAPP_REVIEW_BYTES =
            2 * (ESCAPED_BYTES_PER_CHARACTER * WebAppBudget.MAX_OBJECT_BYTES + SERVER_FIELDS_BYTES) + ENVELOPE_BYTES;

    /**
     * The most the webhook buffers of a body: the largest review an API server sends (a new object
     * of its largest request beside a stored one), so that even such a review gets an answer.
     * Larger bodies are cut off with HTTP 413.
     */
    public static final int MAX_BODY_BYTES =
            LARGEST_REQUEST_OBJECT_BYTES + LARGEST_STORED_OBJECT_BYTES + ENVELOPE_BYTES;

    private static final JsonFactory JSON = new JsonFactory();

    private ReviewSize() {}

    /** The request's uid, resource and operation, read from the start of the body without building it. */
    record Head(String uid, String resource, String operation) {}

    /**
     * Why a body of this size is not reviewed, or null when it is within the bound of its resource.
     */
    static String problem(int bytes, Head head) {
        if ("webapps".equals(head.resource()) && bytes > MAX_WEBAPP_REVIEW_BYTES) {
            return "the AdmissionReview of this WebApp is " + bytes + " bytes, more than a review of two of the"
                    + " largest WebApps the rules admit may be (" + MAX_WEBAPP_REVIEW_BYTES + " bytes: each at most "
                    + WebAppBudget.MAX_OBJECT_BYTES
                    + " bytes of spec and metadata); the WebApp holds more than one WebApp may hold";
        }
        if (bytes > MAX_REVIEW_BYTES) {
            return "the AdmissionReview is " + bytes + " bytes, more than a review of two objects the API server can"
                    + " store may be (" + MAX_REVIEW_BYTES + " bytes: each at most " + LARGEST_STORED_OBJECT_BYTES
                    + "); the object is larger than the API server stores";
        }
        return null;
    }

    /**
     * Reads {@code request.uid}, {@code request.resource.resource} and {@code request.operation}, skipping everything else
     * without building it (the API server writes both before the objects; when they come after, they
     * are still found, in one pass).
     */
    static Head head(byte[] body, int length) {
        String uid = null;
        String resource = null;
        String operation = null;
        try (JsonParser parser = JSON.createParser(body, 0, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return new Head(null, null, null);
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if (!"request".equals(field) || parser.currentToken() != JsonToken.START_OBJECT) {
                    parser.skipChildren();
                    continue;
                }
                while (parser.nextToken() == JsonToken.FIELD_NAME
                        && (uid == null || resource == null || operation == null)) {
                    String name = parser.currentName();
                    JsonToken value = parser.nextToken();
                    if ("uid".equals(name) && value == JsonToken.VALUE_STRING) {
                        uid = parser.getText();
                    } else if ("operation".equals(name) && value == JsonToken.VALUE_STRING) {
                        operation = parser.getText();
                    } else if ("resource".equals(name) && value == JsonToken.START_OBJECT) {
                        while (parser.nextToken() == JsonToken.FIELD_NAME) {
                            String key = parser.currentName();
                            parser.nextToken();
                            if ("resource".equals(key) && parser.currentToken() == JsonToken.VALUE_STRING) {
                                resource = parser.getText();
                            } else {
                                parser.skipChildren();
                            }
                        }
                    } else {
                        parser.skipChildren();
                    }
                }
                return new Head(uid, resource, operation);
            }
        } catch (IOException e) {
            // Not JSON: no uid to answer with; the caller says it is not an AdmissionReview.
        }
        return new Head(uid, resource, operation);
    }
}
