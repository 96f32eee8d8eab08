package dev.filesink.bucketassigners.partitioning;

/** How partition values become directories. */
public enum PathStyle {
    /** {@code country=DE/dt=2026-11-22}: Hive, Spark, Trino and Flink's filesystem tables discover the keys. */
    HIVE,
    /** {@code DE/2026-11-22}: values only; readers must know which level is which field. */
    VALUES_ONLY
}
