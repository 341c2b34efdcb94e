package io.edgefleet.quantization.samples;

import io.edgefleet.quantization.ErrorCode;
import io.edgefleet.quantization.QuantizationException;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Reads and writes the ".efs" sample-set format (big-endian, optionally gzip-compressed):
 * magic "EFS1", int32 N, int32 R, R x int32 shape, int8 dtype (0 float32, 1 uint8 meaning value/255),
 * int8 hasLabels, N x prod(shape) values, then N x int32 labels if labelled.
 */
public final class SampleSetCodec {
    /** Upper bound on the total number of values in a set (N x prod(shape)): 2^28. */
    public static final long MAX_VALUES = 1L << 28;
    /** Upper bound on the rank of a sample. */
    public static final int MAX_RANK = 8;

    public static final byte DTYPE_FLOAT32 = 0;
    public static final byte DTYPE_UINT8 = 1;

    private static final byte[] MAGIC = "EFS1".getBytes(StandardCharsets.US_ASCII);

    /** Storage type of the values. */
    public enum Encoding {
        FLOAT32, UINT8
    }

    private SampleSetCodec() {
    }

    public static SampleSet read(byte[] bytes) {
        try {
            return read(new ByteArrayInputStream(bytes));
        } catch (UncheckedIOException e) {
            throw new QuantizationException(ErrorCode.INVALID_SAMPLES, "unreadable sample set: " + e.getMessage(), e);
        }
    }

    public static SampleSet read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        } catch (IOException e) {
            throw new QuantizationException(ErrorCode.INVALID_SAMPLES, "cannot read sample set " + file + ": "
                    + e.getMessage(), e);
        }
    }

    /** Reads one sample set; the stream must contain exactly one set (trailing bytes are rejected). */
    public static SampleSet read(InputStream raw) {
        try {
            BufferedInputStream buffered = new BufferedInputStream(raw);
            buffered.mark(2);
            int b0 = buffered.read();
            int b1 = buffered.read();
            buffered.reset();
            InputStream in = (b0 == 0x1f && b1 == 0x8b) ? new GZIPInputStream(buffered, 65536) : buffered;
            DataInputStream data = new DataInputStream(new BufferedInputStream(in, 65536));
            return decode(data);
        } catch (EOFException e) {
            throw new QuantizationException(ErrorCode.INVALID_SAMPLES, "sample set is truncated", e);
        } catch (IOException e) {
            throw new QuantizationException(ErrorCode.INVALID_SAMPLES, "unreadable sample set: " + e.getMessage(), e);
        }
    }

    private static SampleSet decode(DataInputStream in) throws IOException {
        byte[] magic = new byte[4];
        in.readFully(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw invalid("bad magic, not an EFS1 sample set");
        }
        int n = in.readInt();
        if (n < 1) {
            throw invalid("sample count must be >= 1, got " + n);
        }
        int rank = in.readInt();
        if (rank < 1 || rank > MAX_RANK) {
            throw invalid("sample rank must be in [1, " + MAX_RANK + "], got " + rank);
        }
        int[] shape = new int[rank];
        long size = 1;
        for (int i = 0; i < rank; i++) {
            shape[i] = in.readInt();
            if (shape[i] < 1) {
                throw invalid("sample dimension " + i + " must be >= 1, got " + shape[i]);
            }
            size *= shape[i];
            if (size > MAX_VALUES) {
                throw invalid("sample shape too large");
            }
        }
        if (size * n > MAX_VALUES) {
            throw invalid("sample set too large: " + n + " x " + size + " values (max " + MAX_VALUES + ")");
        }
        byte dtype = in.readByte();
        if (dtype != DTYPE_FLOAT32 && dtype != DTYPE_UINT8) {
            throw invalid("unknown dtype " + dtype);
        }
        byte hasLabels = in.readByte();
        if (hasLabels != 0 && hasLabels != 1) {
            throw invalid("hasLabels must be 0 or 1, got " + hasLabels);
        }
        int sampleSize = (int) size;
        // The header is untrusted: memory grows with the samples that actually arrive, never with the declared count.
        java.util.List<float[]> rows = new java.util.ArrayList<>(Math.min(n, 1024));
        byte[] row = dtype == DTYPE_UINT8 ? new byte[Math.min(sampleSize, 1 << 16)] : null;
        for (int s = 0; s < n; s++) {
            float[] values = readRow(in, sampleSize, dtype, row);
            rows.add(values);
        }
        float[][] inputs = rows.toArray(float[][]::new);
        int[] labels = null;
        if (hasLabels == 1) {
            labels = new int[n];
            for (int s = 0; s < n; s++) {
                labels[s] = in.readInt();
                if (labels[s] < 0) {
                    throw invalid("label of sample " + s + " is negative: " + labels[s]);
                }
            }
        }
        if (in.read() != -1) {
            throw invalid("trailing bytes after the sample set");
        }
        return new SampleSet(shape, inputs, labels);
    }

    /**
     * Reads one sample. The buffer starts small and doubles as values arrive, so a header that declares a huge shape
     * over a short stream fails with end-of-stream long before it could exhaust memory.
     */
    private static float[] readRow(DataInputStream in, int sampleSize, byte dtype, byte[] scratch) throws IOException {
        float[] values = new float[Math.min(sampleSize, 1 << 16)];
        int filled = 0;
        while (filled < sampleSize) {
            if (filled == values.length) {
                values = java.util.Arrays.copyOf(values, (int) Math.min(sampleSize, 2L * values.length));
            }
            int chunk = values.length - filled;
            if (dtype == DTYPE_FLOAT32) {
                for (int i = 0; i < chunk; i++) {
                    values[filled + i] = in.readFloat();
                }
            } else {
                in.readFully(scratch, 0, chunk);
                for (int i = 0; i < chunk; i++) {
                    values[filled + i] = (scratch[i] & 0xff) / 255.0f;
                }
            }
            filled += chunk;
        }
        return values;
    }

    /** Encodes as float32 values, uncompressed. */
    public static byte[] write(SampleSet set) {
        return write(set, Encoding.FLOAT32, false);
    }

    public static byte[] write(SampleSet set, Encoding encoding, boolean gzip) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        write(set, encoding, gzip, bytes);
        return bytes.toByteArray();
    }

    public static void write(SampleSet set, Encoding encoding, boolean gzip, Path file) {
        try (OutputStream out = Files.newOutputStream(file)) {
            write(set, encoding, gzip, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write sample set " + file, e);
        }
    }

    /**
     * Writes one set. With {@link Encoding#UINT8} every value must lie in [0, 1] and is stored as
     * {@code round(v * 255)}.
     */
    public static void write(SampleSet set, Encoding encoding, boolean gzip, OutputStream target) {
        try {
            GZIPOutputStream gz = gzip ? new GZIPOutputStream(target, 65536) : null;
            DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(gz != null ? gz : target,
                    65536));
            out.write(MAGIC);
            out.writeInt(set.count());
            out.writeInt(set.sampleShape().length);
            for (int d : set.sampleShape()) {
                out.writeInt(d);
            }
            out.writeByte(encoding == Encoding.FLOAT32 ? DTYPE_FLOAT32 : DTYPE_UINT8);
            out.writeByte(set.hasLabels() ? 1 : 0);
            for (int s = 0; s < set.count(); s++) {
                for (float v : set.inputs()[s]) {
                    if (encoding == Encoding.FLOAT32) {
                        out.writeFloat(v);
                    } else {
                        if (!(v >= 0f && v <= 1f)) {
                            throw new QuantizationException(ErrorCode.INVALID_SAMPLES,
                                    "value " + v + " of sample " + s + " is outside [0,1], cannot encode as uint8");
                        }
                        out.writeByte(Math.round(v * 255f));
                    }
                }
            }
            if (set.hasLabels()) {
                for (int label : set.labels()) {
                    out.writeInt(label);
                }
            }
            out.flush();
            if (gz != null) {
                gz.finish();
            }
            target.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write sample set", e);
        }
    }

    private static QuantizationException invalid(String message) {
        return new QuantizationException(ErrorCode.INVALID_SAMPLES, message);
    }
}
