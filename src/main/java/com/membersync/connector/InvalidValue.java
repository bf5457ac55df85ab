package com.membersync.connector;

/** A cell that cannot be used; becomes a {@link RowResult.Rejection} naming the field. */
public class InvalidValue extends RuntimeException {

    private final String field;

    public InvalidValue(String field, String reason) {
        super(reason, null, false, false);
        this.field = field;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return getMessage();
    }
}
