package dev.filesink.s3.writer;

import java.io.Serializable;

/** A part of a multipart upload that S3 has acknowledged. */
public record UploadedPart(int number, String etag, long size) implements Serializable {}
