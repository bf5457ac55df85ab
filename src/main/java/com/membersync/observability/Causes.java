package com.membersync.observability;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Walks an exception's chain of causes: the one helper for digging out what went wrong and saying it. */
public final class Causes {

    private Causes() {}

    /** {@code thrown}, its cause, that one's cause..., ending at the root (a cause that is itself ends the chain). */
    public static List<Throwable> chain(Throwable thrown) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = thrown; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    /** The first exception of the chain that is a {@code type}. */
    public static <T extends Throwable> Optional<T> find(Throwable thrown, Class<T> type) {
        return chain(thrown).stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    /** The root cause's message, or its type's name when it has none. */
    public static String rootMessage(Throwable thrown) {
        return said(chain(thrown).getLast());
    }

    /** The first message down the chain, for an exception that only wraps another. */
    public static String firstMessage(Throwable thrown) {
        List<Throwable> chain = chain(thrown);
        return said(chain.stream().filter(t -> t.getMessage() != null).findFirst().orElse(chain.getLast()));
    }

    private static String said(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
