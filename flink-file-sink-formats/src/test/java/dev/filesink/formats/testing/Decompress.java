package dev.filesink.formats.testing;

import com.github.luben.zstd.ZstdInputStream;
import net.jpountz.lz4.LZ4FrameInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.xerial.snappy.SnappyFramedInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Reads a file with the standard decompressor its extension names (as {@code gzip -d}, {@code zstd -d}... would). */
public final class Decompress {

    private Decompress() {}

    public static byte[] file(Path file) {
        try {
            return bytes(file.getFileName().toString(), Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot decompress " + file, e);
        }
    }

    public static byte[] bytes(String name, byte[] data) throws IOException {
        try (InputStream in = open(name, new ByteArrayInputStream(data))) {
            return in.readAllBytes();
        }
    }

    private static InputStream open(String name, InputStream raw) throws IOException {
        if (name.endsWith(".gz")) {
            return new GZIPInputStream(raw);
        }
        if (name.endsWith(".zst")) {
            return new ZstdInputStream(raw);
        }
        if (name.endsWith(".sz")) {
            return new SnappyFramedInputStream(raw);
        }
        if (name.endsWith(".lz4")) {
            return new LZ4FrameInputStream(raw);
        }
        if (name.endsWith(".bz2")) {
            return new BZip2CompressorInputStream(raw, true);
        }
        return raw;
    }
}
