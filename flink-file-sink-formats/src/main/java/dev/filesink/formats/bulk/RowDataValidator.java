package dev.filesink.formats.bulk;

import dev.filesink.formats.records.BadRecordException;

import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;

import java.io.Serializable;
import java.util.List;

/**
 * Checks a {@link RowData} against its {@link RowType} before any of it is written: arity, nulls in NOT NULL
 * fields, values of the wrong type (as far as reading them by the declared type shows). Names the field.
 */
public final class RowDataValidator implements Serializable {

    private static final long serialVersionUID = 1L;

    private final RowType rowType;
    private transient RowData.FieldGetter[] getters;

    public RowDataValidator(RowType rowType) {
        this.rowType = rowType;
    }

    public void validate(RowData row) {
        if (row == null) {
            throw new BadRecordException("", "the record is null");
        }
        if (getters == null) {
            List<LogicalType> types = rowType.getChildren();
            getters = new RowData.FieldGetter[types.size()];
            for (int i = 0; i < getters.length; i++) {
                getters[i] = RowData.createFieldGetter(types.get(i), i);
            }
        }
        if (row.getArity() != getters.length) {
            throw new BadRecordException("", "has " + row.getArity() + " fields, but the row type has "
                    + getters.length + ": " + rowType);
        }
        for (int i = 0; i < getters.length; i++) {
            RowType.RowField field = rowType.getFields().get(i);
            if (row.isNullAt(i)) {
                if (!field.getType().isNullable()) {
                    throw new BadRecordException(field.getName(), "is null, but its type is " + field.getType());
                }
                continue;
            }
            try {
                getters[i].getFieldOrNull(row);
            } catch (RuntimeException e) {
                throw new BadRecordException(field.getName(), "does not hold a " + field.getType() + ": " + e, e);
            }
        }
    }
}
