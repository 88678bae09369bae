/**
 * Strings of the review form that the first view does not need: kept out of the global dictionaries
 * (web/src/i18n/vi.ts, en.ts, in the first view's 250 KB budget) so they load with the lazy review page.
 *   const rs = useReviewStrings();  rs('confirmEmpty', { n: 3 })
 */
import { useCallback } from 'react';
import { interpolate, useT, type Params } from '../i18n/index.tsx';

const S = {
  confirmTitle: { vi: "Nộp bản rà soát {unit} ngày {date}?", en: "Submit the review of {unit} on {date}?" },
  confirmLevel: { vi: "Mức đạt sẽ ghi nhận: {level}", en: "Level to be recorded: {level}" },
  confirmEmpty: { vi: "{n} chỉ tiêu chưa nhập giá trị (không được tính là đạt).", en: "{n} indicators have no value (not counted as met)." },
  confirmFinal: { vi: "Sau khi nộp, bản rà soát không sửa được nữa; kết quả này được dùng trên các màn hình, báo cáo và hồ sơ.", en: "Once submitted the review cannot be edited; this result is used on every screen, report and dossier." },
  confirmSubmit: { vi: "Xác nhận nộp", en: "Confirm and submit" },
  confirmCancel: { vi: "Quay lại sửa", en: "Back to editing" },
  savedExceptErrors: { vi: "Đã lưu các giá trị khác; {n} giá trị có lỗi chưa được lưu, xem thông báo dưới ô.", en: "The other values are saved; {n} with an error are not — see the message under the field." },
  detach: { vi: "Gỡ minh chứng {title} khỏi chỉ tiêu", en: "Remove the evidence {title} from the indicator" },
  detachShort: { vi: "Gỡ", en: "Remove" },
  discard: { vi: "Hủy bản nháp", en: "Discard the draft" },
  discarding: { vi: "Đang hủy…", en: "Discarding…" },
  discardTitle: { vi: "Hủy bản nháp rà soát {unit} ngày {date}?", en: "Discard the draft review of {unit} on {date}?" },
  discardWhat: { vi: "Mọi giá trị đã nhập ({n} chỉ tiêu), ghi chú và minh chứng đính kèm của bản nháp sẽ bị xóa; không khôi phục được trên màn hình (nhật ký hệ thống vẫn ghi lại).", en: "Every value entered ({n} indicators), note and attached evidence of the draft is deleted; it cannot be restored on screen (the audit trail keeps a record)." },
  discardUnsaved: { vi: "Các thay đổi chưa lưu cũng bị bỏ.", en: "Unsaved changes are dropped too." },
  discardConfirm: { vi: "Xác nhận hủy bản nháp", en: "Discard the draft" },
  discardCancel: { vi: "Giữ bản nháp", en: "Keep the draft" },
} as const;

export type ReviewStringKey = keyof typeof S;

export function useReviewStrings(): (key: ReviewStringKey, params?: Params) => string {
  const { pick } = useT();
  return useCallback((key: ReviewStringKey, params?: Params) => interpolate(pick(S[key]), params), [pick]);
}
