package io.edgefleet.quantization.quantize;

/** Quantization arithmetic following the TFLite quantization specification. */
public final class QuantMath {
    private QuantMath() {
    }

    /** Rounds half away from zero, like C++ std::round used by the TFLite kernels and tools. */
    public static long round(double x) {
        return x < 0 ? -(long) Math.floor(-x + 0.5) : (long) Math.floor(x + 0.5);
    }

    /** Affine parameters of one tensor (per-tensor: arrays of length 1). */
    public record Params(float[] scales, long[] zeroPoints, int axis) {
        public static Params perTensor(float scale, long zeroPoint) {
            return new Params(new float[] {scale}, new long[] {zeroPoint}, 0);
        }

        public float scale() {
            return scales[0];
        }

        public long zeroPoint() {
            return zeroPoints[0];
        }
    }

    /** Asymmetric per-tensor params for an integer type with range [qmin, qmax]; the range is widened to hold 0. */
    public static Params asymmetric(float min, float max, int qmin, int qmax) {
        double lo = Math.min(min, 0.0);
        double hi = Math.max(max, 0.0);
        if (!(hi > lo)) {
            return Params.perTensor(1.0f / (qmax - qmin), Math.max(qmin, Math.min(qmax, 0)));
        }
        double scale = (hi - lo) / (qmax - qmin);
        float fscale = (float) scale;
        double zpFromMin = qmin - lo / fscale;
        long zp = round(zpFromMin);
        zp = Math.max(qmin, Math.min(qmax, zp));
        return Params.perTensor(fscale, zp);
    }

    /** Symmetric per-tensor params (zero point 0) for a signed type with range [-qmax, qmax]. */
    public static Params symmetric(float min, float max, int qmax) {
        double m = Math.max(Math.abs((double) min), Math.abs((double) max));
        float scale = m > 0 ? (float) (m / qmax) : 1.0f / qmax;
        return Params.perTensor(scale, 0);
    }

    /** Per-channel symmetric scales of a weight tensor for values in [-qmax, qmax]. */
    public static float[] channelScales(float[] w, int[] shape, int axis, int qmax) {
        int channels = shape[axis];
        int inner = 1;
        for (int i = axis + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        float[] maxAbs = new float[channels];
        for (int i = 0; i < w.length; i++) {
            int c = (i / inner) % channels;
            maxAbs[c] = Math.max(maxAbs[c], Math.abs(w[i]));
        }
        float[] scales = new float[channels];
        for (int c = 0; c < channels; c++) {
            scales[c] = maxAbs[c] > 0 ? maxAbs[c] / qmax : 1.0f / qmax;
        }
        return scales;
    }

    /** Quantizes weights with per-channel symmetric scales, clamped to [-qmax, qmax]. */
    public static int[] quantizeChannels(float[] w, int[] shape, int axis, float[] scales, int qmax) {
        int channels = shape[axis];
        int inner = 1;
        for (int i = axis + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        int[] q = new int[w.length];
        for (int i = 0; i < w.length; i++) {
            int c = (i / inner) % channels;
            long v = round((double) w[i] / scales[c]);
            q[i] = (int) Math.max(-qmax, Math.min(qmax, v));
        }
        return q;
    }

    /** Quantizes values with per-tensor affine params, clamped to [qmin, qmax]. */
    public static int[] quantize(float[] values, float scale, long zeroPoint, int qmin, int qmax) {
        int[] q = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            long v = round((double) values[i] / scale) + zeroPoint;
            q[i] = (int) Math.max(qmin, Math.min(qmax, v));
        }
        return q;
    }

    /** Bias scale per channel: float32 product input_scale x weight_scale[c], exactly as the TFLite kernels compute it. */
    public static float[] biasScales(float inputScale, float[] weightScales) {
        float[] s = new float[weightScales.length];
        for (int c = 0; c < s.length; c++) {
            s[c] = inputScale * weightScales[c];
        }
        return s;
    }

    /** Sum of squared weight quantization errors, ||W - Q(W)||^2, for per-channel symmetric quantization. */
    public static double weightError(float[] w, int[] shape, int axis, int qmax) {
        float[] scales = channelScales(w, shape, axis, qmax);
        int[] q = quantizeChannels(w, shape, axis, scales, qmax);
        int channels = shape[axis];
        int inner = 1;
        for (int i = axis + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        double err = 0;
        for (int i = 0; i < w.length; i++) {
            int c = (i / inner) % channels;
            double d = w[i] - q[i] * (double) scales[c];
            err += d * d;
        }
        return err;
    }

    /** Sum of squares. */
    public static double energy(float[] w) {
        double e = 0;
        for (float v : w) {
            e += (double) v * v;
        }
        return e;
    }

    /** IEEE 754 binary16 bits of a float (round to nearest, ties to even), as used for FLOAT16 tensors. */
    public static short toHalf(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int val = bits & 0x7fffffff;
        if (val >= 0x7f800000) {
            return (short) (sign | 0x7c00 | (val > 0x7f800000 ? 0x200 : 0));
        }
        if (val >= 0x477ff000) {
            return (short) (sign | 0x7c00);
        }
        int e = val >>> 23;
        if (e < 113) {
            if (e < 102) {
                return (short) sign;
            }
            int m = (val & 0x7fffff) | 0x800000;
            int shift = 126 - e;
            int r = m >> shift;
            int rem = m & ((1 << shift) - 1);
            int half = 1 << (shift - 1);
            if (rem > half || (rem == half && (r & 1) == 1)) {
                r++;
            }
            return (short) (sign | r);
        }
        int mant = val & 0x7fffff;
        int h = ((e - 112) << 10) | (mant >> 13);
        int rem = mant & 0x1fff;
        if (rem > 0x1000 || (rem == 0x1000 && (h & 1) == 1)) {
            h++;
        }
        return (short) (sign | h);
    }

    /** The float value of IEEE 754 binary16 bits. */
    public static float fromHalf(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        if (exp == 31) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }
}
