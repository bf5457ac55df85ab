package com.membersync.sandbox;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import tools.jackson.databind.node.ObjectNode;

/**
 * A sandbox that stores membership objects by id (Hang, Decoda). While {@link #autoCreate} is on (the default)
 * an unknown id is created on write, so rehearsals need no seeding; off, the vendor's own 404 answers.
 */
public abstract sealed class MembershipSandbox<S extends MembershipSandbox<S>> extends VendorSandbox
        permits HangSandbox, DecodaSandbox {

    protected final Map<String, ObjectNode> memberships = new ConcurrentHashMap<>();
    protected volatile boolean autoCreate = true;

    protected MembershipSandbox(String name, Clock clock, RandomGenerator random) {
        super(name, clock, random);
    }

    MembershipSandbox(S main, String account, RateWindow window) {
        super(main, account, window);
    }

    @SuppressWarnings("unchecked")
    public S autoCreate(boolean on) {
        this.autoCreate = on;
        return (S) this;
    }

    /**
     * Creates or replaces a membership exactly as given (no validation, no defaults), as the vendor stores it: with
     * vendor-kept fields such as Decoda's {@code memberCount}, or data the vendor's own validation refuses today.
     */
    public void seed(String id, ObjectNode membership) {
        ObjectNode copy = membership.deepCopy();
        copy.put("id", id);
        memberships.put(id, copy);
    }

    /** The membership as the vendor stores it, including fields its answers leave out. */
    public Optional<ObjectNode> membership(String id) {
        return Optional.ofNullable(memberships.get(id)).map(ObjectNode::deepCopy);
    }

    /** Deletes a membership, as someone might in the vendor's dashboard: the vendor no longer knows it. */
    public void forget(String id) {
        memberships.remove(id);
    }

    /**
     * A change made in the vendor's own dashboard: top-level fields of {@code changes} replace the stored ones as
     * given (no validation; null is stored as null), the id stays. Returns the membership after the edit; empty
     * for an unknown id.
     */
    @Override
    public Optional<ObjectNode> edit(String id, ObjectNode changes) {
        ObjectNode edited = memberships.computeIfPresent(id, (key, stored) -> {
            ObjectNode copy = stored.deepCopy();
            copy.setAll(changes.deepCopy());
            copy.put("id", key);
            return copy;
        });
        return Optional.ofNullable(edited).map(ObjectNode::deepCopy);
    }

    public Map<String, ObjectNode> memberships() {
        return Map.copyOf(memberships);
    }

    @Override
    Optional<ObjectNode> record(String id) {
        return membership(id);
    }

    @Override
    String collection() {
        return "memberships";
    }
}
