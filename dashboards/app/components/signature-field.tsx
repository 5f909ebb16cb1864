import { useEffect, useRef } from 'preact/hooks';
import SignaturePad from 'signature_pad';
import { SIGNATURE_MAX_PX, SIGNATURE_MAX_RATIO } from '../../../core/api/service-record.ts';
import { useApp } from '../context.ts';

/**
 * The pad's drawing as a PNG data URL at the canvas's own resolution (the device's pixels, up to
 * SIGNATURE_MAX_RATIO per CSS pixel), scaled down only past what the server takes (SIGNATURE_MAX_PX).
 */
function signaturePng(source: HTMLCanvasElement): string {
  const scale = Math.min(1, SIGNATURE_MAX_PX.width / source.width, SIGNATURE_MAX_PX.height / source.height);
  if (scale === 1) return source.toDataURL('image/png');
  const small = document.createElement('canvas');
  small.width = Math.max(1, Math.floor(source.width * scale));
  small.height = Math.max(1, Math.floor(source.height * scale));
  const g = small.getContext('2d');
  if (g) {
    g.fillStyle = '#fff';
    g.fillRect(0, 0, small.width, small.height);
    g.drawImage(source, 0, 0, small.width, small.height);
  }
  return small.toDataURL('image/png');
}

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
    const ratio = Math.min(Math.max(window.devicePixelRatio || 1, 1), SIGNATURE_MAX_RATIO);
    element.width = element.offsetWidth * ratio;
    element.height = element.offsetHeight * ratio;
    element.getContext('2d')?.scale(ratio, ratio);
    const signature = new SignaturePad(element, {
      backgroundColor: 'rgb(255,255,255)',
      penColor: 'rgb(20,20,60)',
    });
    signature.addEventListener('endStroke', () =>
      onChange(signature.isEmpty() ? null : signaturePng(element)),
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
