package dev.eksaccess.creation;

import java.time.Instant;

/**
 * A cluster as EKS's DescribeCluster reports it: the facts a CloudTrail CreateCluster event is checked against.
 *
 * @param arn       the cluster's ARN; null if EKS did not say
 * @param createdAt when EKS created the cluster; null if EKS did not say
 * @param status    CREATING, ACTIVE, ...; any status is a cluster that exists
 */
public record DescribedCluster(String arn, Instant createdAt, String status) {
}
