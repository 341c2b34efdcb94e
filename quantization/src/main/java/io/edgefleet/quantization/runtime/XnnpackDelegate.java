package io.edgefleet.quantization.runtime;

import com.sun.jna.Function;
import io.edgefleet.quantization.ErrorCode;
import io.edgefleet.quantization.QuantizationException;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorflowlite.TfLiteDelegate;

/**
 * An XNNPACK delegate created with signed (QS8) and unsigned (QU8) 8-bit quantized inference enabled.
 *
 * <p>The bundled TFLite 2.19 build creates its default XNNPACK delegate with {@code flags == 0}, so it delegates
 * no int8 operator and int8 models fall back to the builtin kernels; the Java presets do not map the XNNPACK C API,
 * so its two exported functions are called through JNA. Owned by one interpreter; {@link #close()} after it.
 * Public for runtimes built outside this package (the agent's per-operator profiler attaches a profiler between
 * building its interpreter and delegating).
 */
public final class XnnpackDelegate implements AutoCloseable {
    static final int FLAG_QS8 = 0x1;
    static final int FLAG_QU8 = 0x2;
    /** TfLiteXNNPackDelegateOptions of TFLite 2.19: int32 num_threads @0, uint32 flags @4, then zero-defaults (32 bytes). */
    private static final int OPTIONS_BYTES = 64;

    private final Function delete;
    private final TfLiteDelegate delegate;
    private boolean closed;

    private XnnpackDelegate(Function delete, TfLiteDelegate delegate) {
        this.delete = delete;
        this.delegate = delegate;
    }

    /** @param threads interpreter threads; XNNPACK gets its own pool only for more than one */
    public static XnnpackDelegate create(int threads) {
        Loader.load(org.bytedeco.tensorflowlite.global.tensorflowlite.class);
        Function create = function("TfLiteXNNPackDelegateCreate");
        Function flagsOf = function("TfLiteXNNPackDelegateGetFlags");
        Function delete = function("TfLiteXNNPackDelegateDelete");
        try (BytePointer options = new BytePointer(OPTIONS_BYTES)) {
            options.fill(0);
            options.putInt(0, threads > 1 ? threads : 0);
            options.putInt(4, FLAG_QS8 | FLAG_QU8);
            com.sun.jna.Pointer handle = create.invokePointer(new Object[] {new com.sun.jna.Pointer(options.address())});
            if (handle == null) {
                throw new QuantizationException(ErrorCode.RUNTIME_ERROR, "TFLite created no XNNPACK delegate");
            }
            int flags = flagsOf.invokeInt(new Object[] {handle});
            if ((flags & FLAG_QS8) == 0) {
                delete.invokeVoid(new Object[] {handle});
                throw new QuantizationException(ErrorCode.RUNTIME_ERROR, "the XNNPACK delegate ignored the QS8 flag "
                        + "(flags 0x" + Integer.toHexString(flags) + "): TfLiteXNNPackDelegateOptions layout changed");
            }
            long handleAddress = com.sun.jna.Pointer.nativeValue(handle);
            return new XnnpackDelegate(delete, new TfLiteDelegate(new Pointer() {
                {
                    this.address = handleAddress;
                }
            }));
        }
    }

    public TfLiteDelegate delegate() {
        return delegate;
    }

    private static Function function(String symbol) {
        Pointer p = Loader.addressof(symbol);
        if (p == null || p.isNull()) {
            throw new QuantizationException(ErrorCode.RUNTIME_ERROR, "the TFLite runtime does not export " + symbol);
        }
        return Function.getFunction(new com.sun.jna.Pointer(p.address()));
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            delete.invokeVoid(new Object[] {new com.sun.jna.Pointer(delegate.address())});
        }
    }
}
