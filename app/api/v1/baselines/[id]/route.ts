import { deleteExpectedListener } from '@/lib/expectations/expected-listeners';
import { deleteByIdRoute } from '@/lib/http/delete-by-id';

export const DELETE = deleteByIdRoute(deleteExpectedListener);
