package dev.filesink.formats.json;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.Serializable;

/** Adjusts the Jackson {@link ObjectMapper} that writes JSON lines (register modules, naming strategies...). */
@FunctionalInterface
public interface MapperCustomizer extends Serializable {

    void customize(ObjectMapper mapper);
}
