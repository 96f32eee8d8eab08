package dev.filesink.testing;

import org.apache.flink.connector.file.sink.compactor.DecoderBasedReader;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Reads back what {@code SimpleStringEncoder} wrote: one record per line, without the line break (Flink's
 * {@code SimpleStringDecoder} keeps it, so the encoder would write it twice).
 */
public final class LineDecoder implements DecoderBasedReader.Decoder<String> {

    private static final long serialVersionUID = 1L;

    private transient BufferedReader reader;

    @Override
    public void open(InputStream input) {
        reader = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8));
    }

    @Override
    public String decodeNext() throws IOException {
        return reader.readLine();
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
