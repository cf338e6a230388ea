/** Gujarati copy: plain data; `amazonpay-dqr/lang/gu` adds it to the element's languages. */
import { type Copy, minutesOrSeconds } from '../copy.js';

export const gu: Copy = {
  locale: 'gu-IN',
  loading: 'QR કોડ તૈયાર થઈ રહ્યો છે…',
  instructions: 'ચુકવણી કરવા માટે કોઈપણ UPI ઍપથી QR કોડ સ્કૅન કરો.',
  payTo: (payee) => `પ્રાપ્તકર્તા: ${payee}`,
  qrLabel: (amount, payee) =>
    `${amount} ચૂકવવા માટેનો UPI QR કોડ${payee ? `, પ્રાપ્તકર્તા ${payee}` : ''}. કોઈપણ UPI ઍપથી સ્કૅન કરો.`,
  timeLeft: 'બાકી સમય',
  secondsLeft: (seconds) =>
    minutesOrSeconds(
      seconds,
      (n) => `ચુકવણી માટે ${n} મિનિટ બાકી`,
      (n) => `ચુકવણી માટે ${n} સેકન્ડ બાકી`,
    ),
  reconnecting: 'ફરીથી કનેક્ટ થઈ રહ્યું છે… QR કોડ હજી માન્ય છે.',
  offline: 'તમે ઑફલાઇન છો. કનેક્શનની રાહ જોવાઈ રહી છે…',
  expiring: 'સમય પૂરો થયો. છેલ્લી ઘડીએ ચુકવણી આવી છે કે નહીં તે તપાસી રહ્યા છીએ…',
  cancelling: 'ચુકવણી રદ થઈ રહી છે…',
  stillTrying: 'પેમેન્ટ સર્વર સુધી પહોંચી શકાતું નથી. પ્રયાસ ચાલુ છે: બીજી રીતે ચુકવણી લેતા પહેલાં તેના જવાબની રાહ જુઓ.',
  paid: 'ચુકવણી મળી ગઈ.',
  expired: 'આ QR કોડની સમયમર્યાદા પૂરી થઈ ગઈ છે.',
  expiredLatePayment: 'કોડની સમયમર્યાદા પૂરી થતી વખતે ચુકવણી આવી: ગ્રાહકને પૈસા પાછા આપવામાં આવશે.',
  cancelled: 'ચુકવણી રદ કરવામાં આવી.',
  cancelOutcome: (outcome, refundRequested) => {
    if (outcome === 'RefundApplicable') return 'ગ્રાહકે ચુકવણી કરી દીધી હતી: પૈસા તેમને પાછા મોકલાઈ રહ્યા છે.';
    if (outcome === 'RefundApplicableButNotRequested') return 'ગ્રાહકે ચુકવણી કરી દીધી હતી અને રિફંડ માંગવામાં આવ્યું નથી.';
    if (outcome === 'Approved') return 'ગ્રાહક પાસેથી કોઈ પૈસા લેવાયા નથી.';
    return refundRequested ? 'રિફંડ માંગવામાં આવ્યું છે.' : 'રિફંડ માંગવામાં આવ્યું નથી.';
  },
  latePayment: (refund) => {
    if (refund === 'Approved') return 'ઑર્ડર પૂરો થયા પછી ચુકવણી આવી: ગ્રાહકને પૈસા પાછા આપી દેવાયા છે.';
    if (refund === 'Declined') {
      return 'ઑર્ડર પૂરો થયા પછી ચુકવણી આવી, પણ રિફંડ નામંજૂર થયું: ગ્રાહકને બીજી રીતે પૈસા પાછા આપો.';
    }
    return 'ઑર્ડર પૂરો થયા પછી ચુકવણી આવી: ગ્રાહકને પૈસા પાછા આપવામાં આવી રહ્યા છે.';
  },
  regenerating: 'નવો QR કોડ બની રહ્યો છે…',
  mirrorWaiting: 'કૅશિયર ચુકવણી શરૂ કરે તેની રાહ જોવાઈ રહી છે…',
  sandbox: 'સેન્ડબૉક્સ — સાચા પૈસા નથી',
  failed: 'ચુકવણી નિષ્ફળ ગઈ. ફરી પ્રયાસ કરવા માટે નવો ઑર્ડર શરૂ કરો.',
  invalid: 'આ ચુકવણી શરૂ થઈ શકતી નથી:',
  error: 'કંઈક ખોટું થયું:',
  cancelButton: 'ચુકવણી રદ કરો',
  retryButton: 'ફરી પ્રયાસ કરો',
  payOnDevice: 'UPI ઍપથી ચુકવણી કરો',
};
