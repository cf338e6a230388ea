/** Bengali copy: plain data; `amazonpay-dqr/lang/bn` adds it to the element's languages. */
import { type Copy, minutesOrSeconds } from '../copy.js';

export const bn: Copy = {
  locale: 'bn-IN',
  loading: 'QR কোড তৈরি হচ্ছে…',
  instructions: 'পেমেন্ট করতে যেকোনো UPI অ্যাপ দিয়ে QR কোডটি স্ক্যান করুন।',
  payTo: (payee) => `প্রাপক: ${payee}`,
  qrLabel: (amount, payee) =>
    `${amount} পেমেন্টের UPI QR কোড${payee ? `, প্রাপক ${payee}` : ''}। যেকোনো UPI অ্যাপ দিয়ে স্ক্যান করুন।`,
  timeLeft: 'বাকি সময়',
  secondsLeft: (seconds) =>
    minutesOrSeconds(
      seconds,
      (n) => `পেমেন্টের জন্য আর ${n} মিনিট বাকি`,
      (n) => `পেমেন্টের জন্য আর ${n} সেকেন্ড বাকি`,
    ),
  reconnecting: 'আবার সংযোগ করা হচ্ছে… QR কোডটি এখনও বৈধ।',
  offline: 'আপনি অফলাইন আছেন। সংযোগের অপেক্ষা করা হচ্ছে…',
  expiring: 'সময় শেষ। শেষ মুহূর্তে কোনো পেমেন্ট এসেছে কি না দেখা হচ্ছে…',
  cancelling: 'পেমেন্ট বাতিল করা হচ্ছে…',
  stillTrying:
    'পেমেন্ট সার্ভারের সঙ্গে যোগাযোগ করা যাচ্ছে না। চেষ্টা চলছে: অন্য উপায়ে টাকা নেওয়ার আগে তার উত্তরের অপেক্ষা করুন।',
  paid: 'পেমেন্ট পাওয়া গেছে।',
  expired: 'এই QR কোডের মেয়াদ শেষ হয়ে গেছে।',
  expiredLatePayment: 'কোডের মেয়াদ শেষ হওয়ার সময় একটি পেমেন্ট এসেছে: টাকা গ্রাহককে ফেরত দেওয়া হবে।',
  cancelled: 'পেমেন্ট বাতিল করা হয়েছে।',
  cancelOutcome: (outcome, refundRequested) => {
    if (outcome === 'RefundApplicable') return 'গ্রাহক পেমেন্ট করে ফেলেছিলেন: টাকা তাঁকে ফেরত পাঠানো হচ্ছে।';
    if (outcome === 'RefundApplicableButNotRequested') return 'গ্রাহক পেমেন্ট করে ফেলেছিলেন, কিন্তু রিফান্ড চাওয়া হয়নি।';
    if (outcome === 'Approved') return 'গ্রাহকের কাছ থেকে কোনো টাকা কাটা হয়নি।';
    return refundRequested ? 'রিফান্ড চাওয়া হয়েছে।' : 'রিফান্ড চাওয়া হয়নি।';
  },
  latePayment: (refund) => {
    if (refund === 'Approved') return 'অর্ডার শেষ হওয়ার পরে একটি পেমেন্ট এসেছে: টাকা গ্রাহককে ফেরত দেওয়া হয়েছে।';
    if (refund === 'Declined') {
      return 'অর্ডার শেষ হওয়ার পরে একটি পেমেন্ট এসেছে, কিন্তু রিফান্ড নামঞ্জুর হয়েছে: অন্যভাবে গ্রাহককে টাকা ফেরত দিন।';
    }
    return 'অর্ডার শেষ হওয়ার পরে একটি পেমেন্ট এসেছে: টাকা গ্রাহককে ফেরত দেওয়া হচ্ছে।';
  },
  regenerating: 'নতুন QR কোড তৈরি হচ্ছে…',
  mirrorWaiting: 'ক্যাশিয়ার পেমেন্ট শুরু করার অপেক্ষায়…',
  sandbox: 'স্যান্ডবক্স — আসল টাকা নয়',
  failed: 'পেমেন্ট ব্যর্থ হয়েছে। আবার চেষ্টা করতে নতুন অর্ডার শুরু করুন।',
  invalid: 'এই পেমেন্ট শুরু করা যাচ্ছে না:',
  error: 'কিছু একটা ভুল হয়েছে:',
  cancelButton: 'পেমেন্ট বাতিল করুন',
  retryButton: 'আবার চেষ্টা করুন',
  payOnDevice: 'UPI অ্যাপ দিয়ে পেমেন্ট করুন',
};
