package dev.filesink.formats.records;

/** A format piece (encoder, bulk writer factory) that handles bad records; the format sink binds its metric. */
public interface BadRecordAware {

    BadRecords badRecords();
}
