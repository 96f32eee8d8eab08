package dev.filesink.formats.avro;

import org.apache.avro.file.CodecFactory;

import java.io.Serializable;

/** The block compression of an Avro container file. */
public final class AvroCodec implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String name;
    private final int level;

    private AvroCodec(String name, int level) {
        this.name = name;
        this.level = level;
    }

    public static AvroCodec none() {
        return new AvroCodec("null", 0);
    }

    /** Deflate, level 1-9 (Avro's default is 6... -1 means zlib's default). */
    public static AvroCodec deflate(int level) {
        check("deflate", level, -1, 9);
        return new AvroCodec("deflate", level);
    }

    public static AvroCodec snappy() {
        return new AvroCodec("snappy", 0);
    }

    /** Zstandard, level 1-22 (3 is zstd's default). */
    public static AvroCodec zstd(int level) {
        check("zstd", level, 1, 22);
        return new AvroCodec("zstandard", level);
    }

    /** XZ, level 0-9 (6 is xz's default). */
    public static AvroCodec xz(int level) {
        check("xz", level, 0, 9);
        return new AvroCodec("xz", level);
    }

    public static AvroCodec bzip2() {
        return new AvroCodec("bzip2", 0);
    }

    private static void check(String codec, int level, int min, int max) {
        if (level < min || level > max) {
            throw new IllegalArgumentException("Avro " + codec + " level must be in [" + min + ", " + max + "], got " + level);
        }
    }

    CodecFactory codecFactory() {
        switch (name) {
            case "deflate":
                return CodecFactory.deflateCodec(level);
            case "snappy":
                return CodecFactory.snappyCodec();
            case "zstandard":
                return CodecFactory.zstandardCodec(level, true);
            case "xz":
                return CodecFactory.xzCodec(level);
            case "bzip2":
                return CodecFactory.bzip2Codec();
            default:
                return CodecFactory.nullCodec();
        }
    }

    @Override
    public String toString() {
        return name + (level != 0 ? "(" + level + ")" : "");
    }
}
