package dev.filesink.s3.writer;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The ETags S3 gives objects when they are not KMS-encrypted: the hex MD5 of the content for a single PUT, and for
 * a multipart upload the MD5 of the parts' binary MD5s followed by {@code -<part count>}. Used to recognize an
 * object that one of our own commits wrote.
 */
public final class ETags {

    private ETags() {}

    public static String ofContent(byte[] content) {
        return HexFormat.of().formatHex(md5().digest(content));
    }

    /** The ETag of the object a multipart upload of these parts produces, or null if a part's ETag is not an MD5. */
    public static String ofMultipart(List<UploadedPart> parts) {
        MessageDigest digest = md5();
        for (UploadedPart part : parts) {
            String hex = normalize(part.etag());
            if (hex.length() != 32) {
                return null;
            }
            try {
                digest.update(HexFormat.of().parseHex(hex));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return HexFormat.of().formatHex(digest.digest()) + '-' + parts.size();
    }

    /** Without quotes, lower case. */
    public static String normalize(String etag) {
        if (etag == null) {
            return "";
        }
        String value = etag.trim();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        return value.toLowerCase(Locale.ROOT);
    }

    public static boolean same(String a, String b) {
        return a != null && b != null && normalize(a).equals(normalize(b));
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is not available", e);
        }
    }
}
