import { deleteExpectedPackage } from '@/lib/expectations/expected-packages';
import { deleteByIdRoute } from '@/lib/http/delete-by-id';

export const DELETE = deleteByIdRoute(deleteExpectedPackage);
