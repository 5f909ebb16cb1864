import { useEffect, useRef } from 'preact/hooks';
import SignaturePad from 'signature_pad';
import { useApp } from '../context.ts';

/**
 * The customer's signature drawn on the phone (signature_pad): `onChange` gets a PNG data URL after
 * each stroke, or null when cleared.
 */
export function SignatureField({ onChange }: { onChange: (png: string | null) => void }) {
  const { t } = useApp();
  const canvas = useRef<HTMLCanvasElement>(null);
  const pad = useRef<SignaturePad | null>(null);
  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    // The canvas's pixels follow its CSS size and the screen's density, or strokes land off the finger.
    const ratio = Math.max(window.devicePixelRatio || 1, 1);
    element.width = element.offsetWidth * ratio;
    element.height = element.offsetHeight * ratio;
    element.getContext('2d')?.scale(ratio, ratio);
    const signature = new SignaturePad(element, {
      backgroundColor: 'rgb(255,255,255)',
      penColor: 'rgb(20,20,60)',
    });
    signature.addEventListener('endStroke', () =>
      onChange(signature.isEmpty() ? null : signature.toDataURL('image/png')),
    );
    pad.current = signature;
    return () => signature.off();
  }, []);
  return (
    <fieldset class="signature-field">
      <legend>{t('record.signature')}</legend>
      <canvas
        ref={canvas}
        class="signature-canvas"
        aria-label={t('record.signature')}
        data-testid="signature"
      />
      <button
        type="button"
        class="secondary"
        onClick={() => {
          pad.current?.clear();
          onChange(null);
        }}
      >
        {t('record.clear')}
      </button>
    </fieldset>
  );
}
