import { applyDecorators } from '@nestjs/common';
import { IsString, Matches } from 'class-validator';

/** A NANP geographic area code as Twilio's AreaCode search takes it. */
export const IsAreaCode = () =>
  applyDecorators(IsString({ message: 'area_code must be a 3-digit US area code such as 303' }), Matches(/^[2-9]\d{2}$/, { message: 'area_code must be a 3-digit US area code such as 303' }));
