package com.membersync.channel;

import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * What a vendor documents as its answer to one request, so that nothing else passes for it: a proxy's login page, a
 * maintenance page, a CDN's empty 200 or another service's JSON confirm nothing.
 *
 * @param what     the documented answer in a few words, for the message when something else came back
 * @param answer   whether a 2xx answer's JSON is the documented one for this request (its envelope, naming the record
 *                 asked for)
 * @param error    whether a 4xx answer's JSON is the vendor's error envelope (a refusal, or "not found")
 */
public record Expected(String what, Predicate<JsonNode> answer, Predicate<JsonNode> error) {}
