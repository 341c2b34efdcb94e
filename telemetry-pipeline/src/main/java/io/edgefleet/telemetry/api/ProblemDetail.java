package io.edgefleet.telemetry.api;

/**
 * RFC 9457 problem details ({@code application/problem+json}).
 *
 * @param type URI reference identifying the problem type ({@code urn:edgefleet:problem:<code>})
 * @param code stable error key, e.g. {@code telemetry.not-found}
 */
public record ProblemDetail(String type, String title, int status, String detail, String instance, String code) {}
