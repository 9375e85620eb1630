package io.kavach.error;

/** Thrown when an id names nothing the store holds. */
public class NotFoundException extends KavachException {
    private final String kind;
    private final String id;

    /** {@code kind} names what was looked for ("agent", "delegation", "approval"). */
    public NotFoundException(String kind, String id) {
        super(ErrorCode.NOT_FOUND, kind + " not found: " + id);
        this.kind = kind;
        this.id = id;
    }

    public String kind() {
        return kind;
    }

    public String id() {
        return id;
    }
}
