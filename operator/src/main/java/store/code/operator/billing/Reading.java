package store.code.operator.billing;

import java.time.Instant;

import store.code.api.v1alpha1.Pricing;

/**
 * One observation of an instance's {@code GET /usage}: cumulative counters as the runtime stores them, sizes as
 * measured, when it was observed, and what the bill needs to know about the instance.
 *
 * @param instance    the ServiceInstance's name (unique within the project's namespace)
 * @param epoch       the runtime's counter epoch (changes when its counter table is created anew); null from a
 *                    runtime older than epochs
 * @param createdAt   when the instance was created (its monthly fee runs from then)
 * @param deletedAt   when it was deleted, or null
 * @param running     whether its runtime was serving (runtime hours accrue only then)
 */
public record Reading(String instance, String service, String maker, String environment, Pricing pricing,
    String epoch, long requests, long errors, long databaseBytes, long bucketBytes, Instant observedAt,
    Instant createdAt, Instant deletedAt, boolean running) {}
